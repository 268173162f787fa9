import type { StoredDigest } from '../../core/audit/anchorTypes.js';
import { sha256Hex } from '../../core/audit/chainHash.js';
import { type AnchoredVerifyReport, verifyAnchoredAudit } from '../../core/audit/verifyAnchors.js';
import type { AuditChainReader, DigestObject, DigestSigner, DigestStore } from './ports.js';

/** What a verify against the anchors needs. */
export interface VerifyAuditAnchorsDeps {
  store: DigestStore;
  signer: DigestSigner;
  chains: AuditChainReader;
  now?: () => Date;
}

/** A digest object with its signature checked over the sha256 of its body. */
export async function checkSignature(signer: DigestSigner, digest: DigestObject): Promise<StoredDigest> {
  const signatureValid =
    digest.signature !== undefined && (await signer.verify(sha256Hex(digest.body), digest.signature));
  return {
    key: digest.key,
    body: digest.body,
    signatureValid,
    versions: digest.versions,
    hidden: digest.hidden,
  };
}

/**
 * `s3ir audit verify` with a digest bucket: every digest read and its signature checked, then the table's
 * chains (all, or the buckets asked for) checked alone and against the anchors (lib/core/audit/verifyAnchors.ts).
 */
export async function verifyAuditAnchors(
  deps: VerifyAuditAnchorsDeps,
  options: { buckets?: readonly string[] } = {},
): Promise<AnchoredVerifyReport> {
  const [objects, chains] = await Promise.all([
    deps.store.readAll(),
    deps.chains.readChains(options.buckets),
  ]);
  const digests: StoredDigest[] = [];
  for (const object of objects) digests.push(await checkSignature(deps.signer, object));
  return verifyAnchoredAudit({
    digests,
    chains,
    ...(options.buckets !== undefined && { buckets: options.buckets }),
    now: (deps.now ?? (() => new Date()))(),
  });
}
