import type { ApplyPorts } from '../../core/reconcile/ports.js';

/**
 * The same ports, keeping every error a port call threw. `apply` turns thrown errors into `failed`
 * outcomes with a one-line message; the caller still needs the error itself to tell a throttle
 * (retry) from an AccessDenied (record and stop).
 */
export function recordingPorts(ports: ApplyPorts, errors: unknown[]): ApplyPorts {
  const keep =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        errors.push(error);
        throw error;
      }
    };
  const { inventory, bucketPolicy, keyPolicy, policyLease, audit, intents } = ports;
  return {
    // An intent that could not be recorded fails its write (throttling: retry); completing one may fail quietly.
    ...(intents !== undefined && {
      intents: {
        record: keep(intents.record.bind(intents)),
        complete: intents.complete.bind(intents),
        abandon: intents.abandon.bind(intents),
        // The change event and the intent's completion in one act (#18 point 4): an audit error, as a record's.
        ...(intents.confirm !== undefined && { confirm: intents.confirm.bind(intents) }),
      },
    }),
    inventory: {
      list: keep(inventory.list.bind(inventory)),
      get: keep(inventory.get.bind(inventory)),
      put: keep(inventory.put.bind(inventory)),
      delete: keep(inventory.delete.bind(inventory)),
    },
    bucketPolicy: {
      get: keep(bucketPolicy.get.bind(bucketPolicy)),
      put: keep(bucketPolicy.put.bind(bucketPolicy)),
      delete: keep(bucketPolicy.delete.bind(bucketPolicy)),
    },
    keyPolicy: {
      get: keep(keyPolicy.get.bind(keyPolicy)),
      put: keep(keyPolicy.put.bind(keyPolicy)),
    },
    // A lease that could not be released lapses by itself: only taking one can fail the action.
    policyLease: { tryAcquire: keep(policyLease.tryAcquire.bind(policyLease)) },
    audit,
  };
}
