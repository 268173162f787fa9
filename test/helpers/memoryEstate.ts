import type { AuditEvent } from '../../lib/core/audit/types.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { compareCodeUnits } from '../../lib/core/json/compareCodeUnits.js';
import type { PolicyDocument } from '../../lib/core/policy/types.js';
import type { ApplyPorts } from '../../lib/core/reconcile/ports.js';
import type {
  BucketFacts,
  DestinationFacts,
  KeyFacts,
  ObservedPolicy,
} from '../../lib/core/reconcile/types.js';
import { createMemoryPolicyLease } from './memoryPolicyLease.js';

/** Every port operation the estate serves, as it appears in the call log and in fault rules. */
export type EstateOperation =
  | 'inventory.list'
  | 'inventory.get'
  | 'inventory.put'
  | 'inventory.delete'
  | 'bucketPolicy.get'
  | 'bucketPolicy.put'
  | 'bucketPolicy.delete'
  | 'keyPolicy.get'
  | 'keyPolicy.put'
  | 'audit.record';

/** One bucket of the estate. Policies are kept as JSON text, as S3 stores them. */
export interface EstateBucket {
  region: string;
  account: string;
  configurations: Map<string, InventoryConfiguration>;
  policy?: string;
  /** Whether this service may read / change its policy (false: another account's bucket). */
  readable: boolean;
  writable: boolean;
}

/** One KMS key of the estate. */
export interface EstateKey {
  region: string;
  account: string;
  keyState: string;
  keyManager: string;
  keySpec: string;
  keyUsage: string;
  policy: string;
  readable: boolean;
  writable: boolean;
}

/**
 * An injected fault: `throw` makes matching calls fail with `error`; `drop` makes matching writes
 * report success without storing anything (what a read-back verification must catch).
 */
export interface FaultRule {
  operation: EstateOperation;
  /** Bucket name or key ARN; omitted matches every target. */
  target?: string;
  /** Configuration Id (inventory calls) or audit action (audit calls); omitted matches every one. */
  detail?: string;
  effect?: 'throw' | 'drop';
  error?: Error;
  /** How many calls it hits; omitted: every call. */
  times?: number;
}

export interface BucketOptions {
  region?: string;
  account?: string;
  configurations?: InventoryConfiguration[];
  policy?: PolicyDocument;
  readable?: boolean;
  writable?: boolean;
}

export type KeyOptions = Partial<Omit<EstateKey, 'policy'>> & { policy?: PolicyDocument };

/** An in-memory AWS (S3 inventory and policies, KMS key policies, an audit sink) implementing ApplyPorts. */
export interface MemoryEstate extends ApplyPorts {
  readonly buckets: Map<string, EstateBucket>;
  readonly keys: Map<string, EstateKey>;
  readonly events: AuditEvent[];
  /** Every port call in order, e.g. `inventory.put src inv-1`, `bucketPolicy.get dest`. */
  readonly calls: string[];
  addBucket(name: string, options?: BucketOptions): MemoryEstate;
  addKey(arn: string, options?: KeyOptions): MemoryEstate;
  injectFault(rule: FaultRule): MemoryEstate;
  /** The facts an adapter would gather for `bucket`: every bucket of the estate as a destination, every key. */
  factsFor(bucket: string): BucketFacts;
  /** The configurations of a bucket, sorted by Id, as List returns them. */
  configurationsOf(bucket: string): InventoryConfiguration[];
  policyOf(bucket: string): PolicyDocument | undefined;
  keyPolicyOf(keyArn: string): PolicyDocument;
  /** Calls that change something (put, delete). */
  writes(): string[];
}

export const ESTATE_ACCOUNT = '111122223333';
export const ESTATE_REGION = 'us-east-1';

/** An AWS error as adapters see it: `name` is the wire code. */
export class EstateError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

const WRITES = /\.(put|delete)$/;

export function createMemoryEstate(): MemoryEstate {
  const buckets = new Map<string, EstateBucket>();
  const keys = new Map<string, EstateKey>();
  const events: AuditEvent[] = [];
  const calls: string[] = [];
  const faults: FaultRule[] = [];

  /** Logs the call and applies faults; returns false when the write must be dropped. */
  function call(operation: EstateOperation, target: string, detail?: string): boolean {
    calls.push([operation, target, detail].filter((part) => part !== undefined).join(' '));
    const fault = faults.find(
      (rule) =>
        rule.operation === operation &&
        (rule.target === undefined || rule.target === target) &&
        (rule.detail === undefined || rule.detail === detail),
    );
    if (!fault) return true;
    if (fault.times !== undefined && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
    if (fault.effect === 'drop') return false;
    throw fault.error ?? new EstateError('InternalError', `injected fault on ${operation} ${target}`);
  }

  function bucketNamed(name: string): EstateBucket {
    const bucket = buckets.get(name);
    if (!bucket) throw new EstateError('NoSuchBucket', `The specified bucket does not exist: ${name}`);
    return bucket;
  }

  function keyNamed(arn: string): EstateKey {
    const key = keys.get(arn);
    if (!key) throw new EstateError('NotFoundException', `Key '${arn}' does not exist`);
    return key;
  }

  function observed(text: string | undefined, readable: boolean): ObservedPolicy {
    if (!readable) return { state: 'unreadable', reason: 'AccessDenied' };
    return text === undefined ? { state: 'none' } : { state: 'present', document: JSON.parse(text) };
  }

  const estate: MemoryEstate = {
    buckets,
    keys,
    events,
    calls,
    inventory: {
      async list(bucket) {
        call('inventory.list', bucket);
        return estate.configurationsOf(bucket);
      },
      async get(bucket, id) {
        call('inventory.get', bucket, id);
        const found = bucketNamed(bucket).configurations.get(id);
        return found ? structuredClone(found) : undefined;
      },
      async put(bucket, configuration) {
        if (!call('inventory.put', bucket, configuration.Id)) return;
        bucketNamed(bucket).configurations.set(configuration.Id!, structuredClone(configuration));
      },
      async delete(bucket, id) {
        if (!call('inventory.delete', bucket, id)) return;
        if (!bucketNamed(bucket).configurations.delete(id)) {
          throw new EstateError('NoSuchConfiguration', 'The specified configuration does not exist.');
        }
      },
    },
    bucketPolicy: {
      async get(name) {
        call('bucketPolicy.get', name);
        const bucket = bucketNamed(name);
        if (!bucket.readable) throw new EstateError('AccessDenied', 'Access Denied');
        return bucket.policy === undefined ? undefined : JSON.parse(bucket.policy);
      },
      async put(name, document) {
        if (!call('bucketPolicy.put', name)) return;
        const bucket = bucketNamed(name);
        if (!bucket.writable) throw new EstateError('AccessDenied', 'Access Denied');
        bucket.policy = JSON.stringify(document);
      },
      async delete(name) {
        if (!call('bucketPolicy.delete', name)) return;
        const bucket = bucketNamed(name);
        if (!bucket.writable) throw new EstateError('AccessDenied', 'Access Denied');
        delete bucket.policy;
      },
    },
    keyPolicy: {
      async get(arn) {
        call('keyPolicy.get', arn);
        const key = keyNamed(arn);
        if (!key.readable) throw new EstateError('AccessDeniedException', 'not authorized');
        return JSON.parse(key.policy);
      },
      async put(arn, document) {
        if (!call('keyPolicy.put', arn)) return;
        const key = keyNamed(arn);
        if (!key.writable) throw new EstateError('AccessDeniedException', 'not authorized');
        key.policy = JSON.stringify(document);
      },
    },
    // One process, no other worker: every lease is free (tests of waiting pass a lease of their own).
    policyLease: createMemoryPolicyLease(),
    audit: {
      async record(event) {
        if (!call('audit.record', event.bucket, event.action)) return;
        events.push(structuredClone(event));
      },
    },

    addBucket(name, options = {}) {
      const configurations = new Map<string, InventoryConfiguration>();
      for (const configuration of options.configurations ?? []) {
        configurations.set(configuration.Id!, structuredClone(configuration));
      }
      const bucket: EstateBucket = {
        region: options.region ?? ESTATE_REGION,
        account: options.account ?? ESTATE_ACCOUNT,
        configurations,
        readable: options.readable ?? true,
        writable: options.writable ?? true,
      };
      if (options.policy) bucket.policy = JSON.stringify(options.policy);
      buckets.set(name, bucket);
      return estate;
    },
    addKey(arn, options = {}) {
      const [, , , region = ESTATE_REGION, account = ESTATE_ACCOUNT] = arn.split(':');
      keys.set(arn, {
        region: options.region ?? region,
        account: options.account ?? account,
        keyState: options.keyState ?? 'Enabled',
        keyManager: options.keyManager ?? 'CUSTOMER',
        keySpec: options.keySpec ?? 'SYMMETRIC_DEFAULT',
        keyUsage: options.keyUsage ?? 'ENCRYPT_DECRYPT',
        policy: JSON.stringify(options.policy ?? defaultKeyPolicy(account)),
        readable: options.readable ?? true,
        writable: options.writable ?? true,
      });
      return estate;
    },
    injectFault(rule) {
      faults.push({ ...rule });
      return estate;
    },
    factsFor(name) {
      const source = bucketNamed(name);
      const destinations: Record<string, DestinationFacts> = {};
      for (const [bucket, state] of buckets) {
        destinations[bucket] = {
          bucket,
          exists: true,
          region: state.region,
          account: state.account,
          policy: observed(state.policy, state.readable),
          writable: state.writable,
          // The estate knows every bucket's owner, as S3 answering ExpectedBucketOwner would prove it.
          ownerVerified: true,
        };
      }
      const keyFacts: Record<string, KeyFacts> = {};
      for (const [keyArn, key] of keys) {
        keyFacts[keyArn] = {
          keyArn,
          exists: true,
          region: key.region,
          account: key.account,
          keyState: key.keyState,
          keyManager: key.keyManager,
          keySpec: key.keySpec,
          keyUsage: key.keyUsage,
          policy: observed(key.policy, key.readable),
          writable: key.writable,
        };
      }
      return { bucket: name, account: source.account, region: source.region, destinations, keys: keyFacts };
    },
    configurationsOf(name) {
      return [...bucketNamed(name).configurations.values()]
        .map((configuration) => structuredClone(configuration))
        .sort((a, b) => compareCodeUnits(a.Id!, b.Id!));
    },
    policyOf(name) {
      const text = bucketNamed(name).policy;
      return text === undefined ? undefined : JSON.parse(text);
    },
    keyPolicyOf(arn) {
      return JSON.parse(keyNamed(arn).policy);
    },
    writes() {
      return calls.filter((entry) => WRITES.test(entry.split(' ')[0]!));
    },
  };
  return estate;
}

/** The default policy KMS gives a new key: the account root may do everything. */
export function defaultKeyPolicy(account: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}
