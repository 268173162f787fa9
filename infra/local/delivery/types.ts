import type { StoredInventoryConfiguration } from '../s3Inventory/types.js';

/** `POST /_local/deliver` options (DESIGN.md, Contract). */
export interface DeliverOptions {
  /** The delivery time: names the dated folders and the manifest's creationTimestamp (default now). */
  now: Date;
  /** Only these source buckets (default every bucket with an enabled configuration). */
  buckets?: string[];
}

/** A report written: `key` is its manifest.json. */
export interface DeliveredReport {
  bucket: string;
  id: string;
  key: string;
}

/** A report S3 would not deliver, and why. */
export interface RefusedReport {
  bucket: string;
  id: string;
  reason: string;
}

/** The answer of `POST /_local/deliver`, sorted by bucket, then id. */
export interface DeliveryResult {
  delivered: DeliveredReport[];
  refused: RefusedReport[];
}

/** What the simulation knows of a bucket. */
export interface BucketFacts {
  name: string;
  /** The owning account; undefined when none of the known accounts lists it. */
  owner: string | undefined;
  region: string;
}

/** What the simulation knows of a KMS key. */
export interface KeyFacts {
  arn: string;
  account: string;
  region: string;
  state: string;
  /** The AWS managed alias (`alias/aws/s3`) when AWS manages the key. */
  awsManagedAlias: string | undefined;
  /** The `default` key policy text. */
  policy: string | undefined;
}

/** One configuration that may be delivered, with what was learned about it. */
export interface DeliveryPlan {
  source: BucketFacts & { owner: string };
  destination: BucketFacts;
  configuration: StoredInventoryConfiguration;
  /** The destination ARN as configured (`arn:aws:s3:::dest`). */
  destinationArn: string;
  partition: string;
  key?: KeyFacts;
}

/** The source bucket, as a report lists its objects. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date | undefined;
  eTag: string;
  storageClass: string;
  versionId?: string;
  isLatest?: boolean;
  isDeleteMarker?: boolean;
}
