import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditChains } from '../../lib/adapters/aws/DynamoAuditChains.js';
import { DynamoChainHeadIndex } from '../../lib/adapters/aws/DynamoChainHeadIndex.js';
import { anchorAudit } from '../../lib/usecases/anchorAudit/anchorAudit.js';
import { verifyAuditAnchors } from '../../lib/usecases/anchorAudit/verifyAuditAnchors.js';
import type { AnchorPorts } from '../../lib/wiring/anchorWiring.js';
import { countingClient } from './countingClient.js';
import type { VerifyResult } from './measureAuditReads.js';
import { withPeakRss } from './peakRss.js';

type Client = Pick<DynamoDBDocumentClient, 'send'>;

/** What anchoring the loaded table wrote: the digest's key, and how long anchorAudit took. */
export interface AnchorRun {
  key: string;
  heads: number;
  chains: number;
  ms: number;
}

/**
 * Anchors the loaded table once (anchorAudit: the head index read, one digest signed with kms:Sign and
 * created in the Object Lock bucket), then times `verifyAuditAnchors`, the use case `s3ir audit verify` runs
 * with a digest bucket, for the same `buckets` as the table-only row. `wholeTable()` times it for every chain
 * (with the bench process's peak RSS: the use case holds every chain's items at once); the caller runs it
 * when it chooses (last, for the large table: it is the longest step). Signatures are checked with the
 * key's public key (kms:GetPublicKey once, then node:crypto; lib/adapters/aws/KmsDigestSigner.ts). The
 * digest store and signer are `anchors` (anchorWiring, over the local gateway); the table is read through
 * `inner`, the same DynamoDB path the table-only rows use, so the two rows differ by the anchors alone.
 * `readMs` is the time the rows spent reading the table's chains (DynamoDB Local and the SDK).
 */
export async function measureAnchoredVerify(
  inner: Client,
  tableName: string,
  anchors: AnchorPorts,
  options: { buckets: readonly string[] },
): Promise<{ anchor: AnchorRun; verify: VerifyResult[]; wholeTable: () => Promise<VerifyResult> }> {
  const counting = countingClient(inner);
  const reader = new DynamoAuditChains({ client: counting.client, tableName });
  let readMs = 0;
  const ports: AnchorPorts = {
    ...anchors,
    heads: new DynamoChainHeadIndex({ client: counting.client, tableName }),
    chains: {
      readChains: async (buckets) => {
        const started = performance.now();
        const chains = await reader.readChains(buckets);
        readMs += performance.now() - started;
        return chains;
      },
    },
  };
  const anchorStarted = performance.now();
  const written = await anchorAudit(ports);
  const anchor = {
    key: written.key,
    heads: written.heads,
    chains: written.chains,
    ms: performance.now() - anchorStarted,
  };
  const time = async (name: string, buckets: readonly string[] | undefined): Promise<VerifyResult> => {
    counting.reset();
    readMs = 0;
    const started = performance.now();
    const { value: report, memory } = await withPeakRss(() =>
      verifyAuditAnchors(ports, buckets === undefined ? {} : { buckets }),
    );
    const ms = performance.now() - started;
    return {
      name,
      events: report.events,
      chains: report.chains,
      ms,
      readMs,
      eventsPerSecond: report.events / (ms / 1000),
      intact: report.intact,
      readUnits: counting.cost.readUnits,
      anchored: { digests: report.anchors.digests, breaks: report.breaks.length },
      ...(buckets === undefined && { memory }),
    };
  };
  const verify = [
    await time(`whole chains of ${options.buckets.length} buckets, against the anchors`, options.buckets),
  ];
  return { anchor, verify, wholeTable: () => time('every chain, against the anchors', undefined) };
}
