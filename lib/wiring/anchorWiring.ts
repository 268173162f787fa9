import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { DynamoAuditChains } from '../adapters/aws/DynamoAuditChains.js';
import { DynamoChainHeadIndex } from '../adapters/aws/DynamoChainHeadIndex.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { KmsDigestSigner } from '../adapters/aws/KmsDigestSigner.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { S3DigestStore } from '../adapters/aws/S3DigestStore.js';
import type { AnchorAuditDeps } from '../usecases/anchorAudit/anchorAudit.js';
import type { AuditChainReader } from '../usecases/anchorAudit/ports.js';
import type { ServiceConfig } from './serviceConfig.js';

/** Days a digest stays locked when `S3IR_DIGEST_RETENTION_DAYS` is unset (serverless param auditDigestRetentionDays). */
export const DEFAULT_DIGEST_RETENTION_DAYS = 400;

/** The ports of audit anchoring: the digest bucket, the signing key, the table's head index and chains. */
export type AnchorPorts = AnchorAuditDeps & { chains: AuditChainReader };

/**
 * The audit-anchor ports over the one client factory, or undefined when no digest bucket is configured
 * (`S3IR_DIGEST_BUCKET`, `S3IR_DIGEST_KEY_ID`): then nothing is anchored and verify checks the table alone.
 */
export function anchorWiring(
  config: Pick<ServiceConfig, 'auditTable' | 'digestBucket' | 'digestKeyId' | 'digestRetentionDays'>,
  factory: ClientFactory,
): AnchorPorts | undefined {
  if (config.digestBucket === undefined || config.digestKeyId === undefined) return undefined;
  const documents = lazySend(() => documentClient(factory));
  return {
    store: new S3DigestStore({
      client: lazySend(() => factory.s3()),
      bucket: config.digestBucket,
      retentionDays: config.digestRetentionDays ?? DEFAULT_DIGEST_RETENTION_DAYS,
      expectedOwner: () => factory.homeAccount(),
    }),
    signer: new KmsDigestSigner({ client: () => factory.kms(), keyId: config.digestKeyId }),
    heads: new DynamoChainHeadIndex({ client: documents, tableName: config.auditTable }),
    chains: new DynamoAuditChains({ client: documents, tableName: config.auditTable }),
  };
}
