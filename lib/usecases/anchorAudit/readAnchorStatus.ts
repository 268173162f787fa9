import type { AnchorStatus } from '../../core/audit/anchorTypes.js';
import { parseDigest } from '../../core/audit/parseDigest.js';
import { verifyNewestAnchor } from '../../core/audit/verifyNewestAnchor.js';
import type { ChainHeadIndex, DigestSigner, DigestStore } from './ports.js';
import { checkSignature } from './verifyAuditAnchors.js';

/** What the anchor status needs: the newest digest, its predecessor and the table's heads. */
export interface AnchorStatusDeps {
  store: DigestStore;
  signer: DigestSigner;
  heads: ChainHeadIndex;
}

/**
 * When the history was last anchored and whether it verifies from the newest digest on (the viewer's
 * line, `GET /anchor`): two digests and the head index are read, never the events.
 */
export async function readAnchorStatus(deps: AnchorStatusDeps): Promise<AnchorStatus> {
  const [newest, heads] = await Promise.all([deps.store.newest(), deps.heads.listHeads()]);
  if (newest === undefined) return verifyNewestAnchor({ heads });
  const parsed = parseDigest(newest.key, newest.body);
  const previousKey = parsed.ok ? parsed.digest.document.previous?.key : undefined;
  const predecessor = previousKey === undefined ? undefined : await deps.store.read(previousKey);
  return verifyNewestAnchor({
    newest: await checkSignature(deps.signer, newest),
    ...(predecessor && { predecessor: await checkSignature(deps.signer, predecessor) }),
    heads,
  });
}
