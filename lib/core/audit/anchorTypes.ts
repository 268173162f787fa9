import type { BreakKind } from './breakKinds.js';

/** One digest as the digest bucket holds it, read back by the verifier (lib/adapters/aws/S3DigestStore.ts). */
export interface StoredDigest {
  key: string;
  /** The body of the key's first version: the one Object Lock has kept since it was written. */
  body: string;
  /** Whether the signature stored with it verifies over sha256(body) with the signing key's public key. */
  signatureValid: boolean;
  /** Object versions under the key: 1, unless someone wrote over it. */
  versions: number;
  /** The key's current version is a delete marker: someone deleted it (Object Lock kept the version). */
  hidden: boolean;
}

/** One thing verify found, in the table or among the digests. */
export interface AuditBreak {
  kind: BreakKind;
  bucket?: string;
  /** The digest at fault, or the one whose anchor the table no longer matches. */
  digestKey?: string;
  eventId?: string;
  seq?: number;
  time?: string;
  reason: string;
}

/** A chain head as the table's head index lists it. */
export interface TableHead {
  bucket: string;
  seq: number;
  hash: string;
}

/** "Last anchored … and verifies": what the viewer shows, from the newest digest on. */
export interface AnchorStatus {
  /** Whether any digest exists. */
  anchored: boolean;
  newest?: { key: string; sequence: number; time: string };
  /** The newest digest checks out, links to its predecessor, and no table head is older than it anchored. */
  verifies: boolean;
  breaks: AuditBreak[];
  /** Chains whose head moved past the newest anchor: the window not yet anchored. */
  unanchoredChains: number;
}
