import { nextDigest, sealDigest } from '../../core/audit/digestDocument.js';
import { parseDigest } from '../../core/audit/parseDigest.js';
import { AnchorError } from './errors.js';
import type { ChainHeadIndex, DigestSigner, DigestStore } from './ports.js';

/** What anchoring needs. */
export interface AnchorAuditDeps {
  store: DigestStore;
  signer: DigestSigner;
  heads: ChainHeadIndex;
  now?: () => Date;
}

/** The digest written. */
export interface AnchorResult {
  key: string;
  sequence: number;
  /** Chain heads that moved since the previous digest (recorded in this one). */
  heads: number;
  /** Chains anchored so far. */
  chains: number;
}

/** Writers racing for one sequence: each loser reads the winner's digest and tries the next one. */
const MAX_ATTEMPTS = 5;

/**
 * Writes the next digest: reads the newest digest and the table's chain heads, records every head that
 * moved since, signs the digest's hash with the KMS key and creates it under a key no digest has (a
 * conditional put), so concurrent anchors (the schedule's, the sweep's, `s3ir audit anchor`) never fork
 * the digest chain. A digest is written even when no head moved: the newest digest's time is when the
 * history was last anchored.
 */
export async function anchorAudit(deps: AnchorAuditDeps): Promise<AnchorResult> {
  for (let attempt = 1; ; attempt++) {
    const newest = await deps.store.newest();
    let previous: ReturnType<typeof sealDigest> | undefined;
    if (newest !== undefined) {
      const parsed = parseDigest(newest.key, newest.body);
      if (!parsed.ok)
        throw new AnchorError(
          `the newest digest ${deps.store.location}/${newest.key} is malformed (${parsed.problem}): run s3ir audit verify`,
        );
      previous = parsed.digest;
    }
    const heads = await deps.heads.listHeads();
    const digest = sealDigest(nextDigest(previous, heads, (deps.now ?? (() => new Date()))()));
    const signature = await deps.signer.sign(digest.hash);
    if (await deps.store.create(digest, signature))
      return {
        key: digest.key,
        sequence: digest.document.sequence,
        heads: digest.document.heads.length,
        chains: digest.document.chains.length,
      };
    if (attempt >= MAX_ATTEMPTS)
      throw new AnchorError(
        `digest ${digest.document.sequence} was taken by another writer ${attempt} times in a row: try again`,
      );
  }
}
