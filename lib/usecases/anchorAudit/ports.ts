import type { AnchoredHead, SealedDigest } from '../../core/audit/digestDocument.js';

/** A digest's signature, as stored with it (object metadata). */
export interface DigestSignature {
  /** Base64 of the DER-encoded ECDSA signature. */
  signature: string;
  /** The key that signed, as KMS names it (an ARN). */
  keyId: string;
  algorithm: string;
}

/** One digest object as read back from the digest bucket. */
export interface DigestObject {
  key: string;
  /** The body of the key's first version (the one Object Lock kept). */
  body: string;
  /** The signature stored with that version; undefined when it has none. */
  signature?: string;
  /** Versions under the key (1 unless written over). */
  versions: number;
  /** The current version is a delete marker. */
  hidden: boolean;
}

/** The digest bucket: digests are created, never changed (S3 Object Lock, compliance mode). */
export interface DigestStore {
  /** Where digests are kept, for messages (`s3://bucket`). */
  readonly location: string;
  /** The newest digest, or undefined while there is none. */
  newest(): Promise<DigestObject | undefined>;
  /** One digest by key, or undefined when no version of it exists. */
  read(key: string): Promise<DigestObject | undefined>;
  /** Every digest, oldest first. */
  readAll(): Promise<DigestObject[]>;
  /** Writes the digest under its key only if the key is new; false when another writer took it. */
  create(digest: SealedDigest, signature: DigestSignature): Promise<boolean>;
}

/** The asymmetric KMS key that signs digests. */
export interface DigestSigner {
  /** Signs a digest's sha256 (64 hex digits). */
  sign(hashHex: string): Promise<DigestSignature>;
  /** Whether `signature` (base64) is the key's signature of `hashHex`. */
  verify(hashHex: string, signature: string): Promise<boolean>;
}

/** The audit table's chain heads, listed without reading events (the table's head index). */
export interface ChainHeadIndex {
  listHeads(): Promise<AnchoredHead[]>;
}

/** The audit table's chains, each bucket's partition items as stored. */
export interface AuditChainReader {
  /** Only these buckets' chains; absent: every chain. */
  readChains(buckets?: readonly string[]): Promise<Map<string, object[]>>;
}
