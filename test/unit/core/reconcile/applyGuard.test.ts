import { describe, expect, it } from 'vitest';
import { observeOutcome } from '../../../../lib/core/alerts/observation.js';
import type { DesiredBucket } from '../../../../lib/core/desired/types.js';
import { PolicyWriteRefusedError } from '../../../../lib/core/policy/PolicyWriteRefusedError.js';
import type { PolicyStatement } from '../../../../lib/core/policy/types.js';
import { apply } from '../../../../lib/core/reconcile/apply.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { Plan } from '../../../../lib/core/reconcile/types.js';
import { reconcileBucket } from '../../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import { reconcileMessage } from '../../../../lib/usecases/reconcileMessage/reconcileMessage.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { memoryOutbox, memorySender, memoryStatusStore } from '../../../helpers/memoryAlerts.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import type { MemoryPolicyLease } from '../../../helpers/memoryPolicyLease.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  DESTINATION_BUCKET,
  foreignStatement,
  KEY_ARN,
  makeDesiredBucket,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';
import { depsFor, FakeAdapterError, RUN } from '../../usecases/reconcileBucket/reconcileFakes.js';

const context = { runId: 'run-1', actor: 'reconciler', now: RUN.now };

/** An AccessDenied as lib/aws maps it (`AccessDeniedError`, wire code kept, not retryable). */
function accessDenied(code = 'AccessDenied'): Error {
  return Object.assign(new Error(`PutBucketPolicy ${DESTINATION_BUCKET}: Access Denied`), {
    name: 'AccessDeniedError',
    code,
    retryable: false,
  });
}

function planFor(estate: MemoryEstate, desired: DesiredBucket): Plan {
  return plan(desired, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET));
}

/** Our destination statement for another source, widened by someone to an account of theirs as well. */
const widenedGrant: PolicyStatement = {
  ...ourDestinationGrant(['other-source']),
  Principal: { Service: 's3.amazonaws.com', AWS: 'arn:aws:iam::999988887777:root' },
};

const heldLeases = (estate: MemoryEstate) => (estate.policyLease as MemoryPolicyLease).held.size;

describe('apply() and the policy write guard', () => {
  it('refuses a planned write that widens our statement: no put, the lease released, earlier writes stand', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement(), widenedGrant]) })
      .addKey(KEY_ARN, { policy: makePolicy([rootStatement()]) });
    // The planner extends our statement as it finds it, widening included: the guard must stop the write.
    const planned = planFor(estate, makeDesiredBucket([makeKmsConfiguration(KEY_ARN)]));
    const reordered = {
      ...planned,
      actions: [planned.actions[1]!, planned.actions[0]!, planned.actions[2]!],
    };
    expect(reordered.actions.map((action) => action.key)).toEqual([
      `grant-key:${KEY_ARN}`,
      `grant-destination:${DESTINATION_BUCKET}`,
      'create-configuration:daily-csv',
    ]);

    const run = apply(reordered, estate, context);

    await expect(run).rejects.toBeInstanceOf(PolicyWriteRefusedError);
    await expect(run).rejects.toThrow(
      `Refused to write the policy of destination bucket ${DESTINATION_BUCKET}: statement #1 ("S3irInventoryDelivery") ` +
        'would be written, but its Principal is {"Service":"s3.amazonaws.com","AWS":"arn:aws:iam::999988887777:root"}, ' +
        'not the s3.amazonaws.com service alone',
    );
    expect(estate.writes()).toEqual([`keyPolicy.put ${KEY_ARN}`]);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([foreignStatement(), widenedGrant]));
    expect(estate.configurationsOf(SOURCE_BUCKET)).toEqual([]);
    expect(estate.events.map((event) => event.action)).toEqual(['key-policy-updated']);
    expect(heldLeases(estate)).toBe(0);
  });

  it('refuses a planned delete of a bucket policy that holds a statement it did not write', async () => {
    const estate = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const planned = planFor(estate, makeDesiredBucket([makeConfiguration()]));
    // A (buggy) plan that deletes the policy: the guard reads what the delete would remove.
    const grant = planned.actions[0]!;
    const forged = { ...grant, before: makePolicy([foreignStatement()]), after: undefined } as typeof grant;
    estate.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(makePolicy([foreignStatement()]));

    await expect(apply({ ...planned, actions: [forged] }, estate, context)).rejects.toThrow(
      /deleting it would remove statement #0 \("AnalyticsRead"\) of the policy read, which this service did not write$/,
    );
    expect(estate.writes()).toEqual([]);
  });
});

describe('apply() when AWS refuses a policy write (AccessDenied)', () => {
  it('ends the grant action-required with the exact statement, and skips the put that needs it', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement()]) })
      .injectFault({ operation: 'bucketPolicy.put', error: accessDenied() });

    const result = await apply(planFor(estate, makeDesiredBucket([makeConfiguration()])), estate, context);

    const error =
      `writing policy of destination bucket ${DESTINATION_BUCKET} failed: ` +
      `AccessDeniedError: PutBucketPolicy ${DESTINATION_BUCKET}: Access Denied`;
    expect(result.outcomes).toEqual([
      {
        key: `grant-destination:${DESTINATION_BUCKET}`,
        kind: 'grant-destination',
        status: 'action-required',
        error,
      },
      {
        key: 'create-configuration:daily-csv',
        kind: 'create-configuration',
        status: 'skipped',
        error: `grant-destination:${DESTINATION_BUCKET} ended action-required`,
      },
    ]);
    expect(result.findings).toEqual([
      {
        kind: 'destination-grant-required',
        target: DESTINATION_BUCKET,
        message:
          `Bucket ${SOURCE_BUCKET}: AWS refused this service's write to the policy of destination bucket ` +
          `${DESTINATION_BUCKET} (AccessDeniedError: PutBucketPolicy ${DESTINATION_BUCKET}: Access Denied); ` +
          'its owner must add the statement',
        statement: accountDestinationGrant(),
      },
    ]);
    expect(result.converged).toBe(false);
    // Not a failure: the status transition records the finding (action-required) when it appears.
    expect(estate.events.map((event) => event.action)).toEqual(['drift-detected']);
  });

  it('asks for our key statement in place of the one the key policy holds', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([accountDestinationGrant()]) })
      .addKey(KEY_ARN, { policy: makePolicy([rootStatement(), ourKeyGrant(['other-source'])]) })
      .injectFault({
        operation: 'keyPolicy.put',
        error: new FakeAdapterError('AccessDeniedException', false),
      });

    const result = await apply(
      planFor(estate, makeDesiredBucket([makeKmsConfiguration(KEY_ARN)])),
      estate,
      context,
    );

    expect(result.outcomes[0]).toMatchObject({ key: `grant-key:${KEY_ARN}`, status: 'action-required' });
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'key-grant-required',
        target: KEY_ARN,
        statement: accountKeyGrant(),
        replacesSid: 'S3irInventoryKeyGrant',
        message: expect.stringMatching(
          /AccessDeniedException \(injected\)\); its owner must put this statement in place of the one with Sid "S3irInventoryKeyGrant"$/,
        ),
      }),
    ]);
  });

  it('asks for our statement to be removed when a revoke that drops it is refused', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'gone' })] })
      // An earlier version's statement listing the bucket: a revoke takes it out (the account-keyed one stays).
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement(), ourDestinationGrant()]) })
      .injectFault({ operation: 'bucketPolicy.put', error: accessDenied() });

    const result = await apply(planFor(estate, makeDesiredBucket([], { prune: true })), estate, context);

    expect(result.outcomes.map((outcome) => [outcome.key, outcome.status])).toEqual([
      ['delete-configuration:gone', 'applied'],
      [`revoke-destination:${DESTINATION_BUCKET}`, 'action-required'],
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'destination-grant-required',
        target: DESTINATION_BUCKET,
        message: expect.stringMatching(
          /its owner must remove the statement with Sid "S3irInventoryDelivery"$/,
        ),
      }),
    ]);
    expect(result.findings![0]).not.toHaveProperty('statement');
  });

  it('keeps an AccessDenied on reading the policy, or on a configuration, a failure', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET)
      .injectFault({ operation: 'bucketPolicy.get', error: accessDenied(), times: 1 });

    const result = await apply(planFor(estate, makeDesiredBucket([makeConfiguration()])), estate, context);

    expect(result.outcomes[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^reading policy/),
    });
    expect(result).not.toHaveProperty('findings');
  });
});

describe('reconcileBucket() with the policy write guard', () => {
  it('fails a refused write naming the target, the statement and why (for the status step to record), and writes nothing', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement(), widenedGrant]) });

    const outcome = await reconcileBucket(
      SOURCE_BUCKET,
      depsFor(estate, makeDesiredBucket([makeConfiguration()])),
    );

    const why =
      `Refused to write the policy of destination bucket ${DESTINATION_BUCKET}: statement #1 ("S3irInventoryDelivery") ` +
      'would be written, but its Principal is {"Service":"s3.amazonaws.com","AWS":"arn:aws:iam::999988887777:root"}, ' +
      'not the s3.amazonaws.com service alone';
    expect(outcome).toEqual({
      bucket: SOURCE_BUCKET,
      status: 'failed',
      attempts: 1,
      failure: `PolicyWriteRefusedError: ${why}`,
    });
    expect(estate.writes()).toEqual([]);
    expect(estate.events).toEqual([]);
    expect(observeOutcome(outcome)?.failureEvents).toEqual([
      {
        subject: 'reconcile',
        message: `Reconcile of ${SOURCE_BUCKET} failed: PolicyWriteRefusedError: ${why}`,
      },
    ]);
  });
});

describe('reconcileMessage() when AWS refuses a policy write', () => {
  function harness(estate: MemoryEstate, desired: DesiredBucket) {
    const status = memoryStatusStore([]);
    const sender = memorySender();
    const run = (runId: string) =>
      reconcileMessage(
        { bucket: SOURCE_BUCKET, runId },
        {
          deps: depsFor(estate, desired, { context: { ...RUN, runId } }),
          status: {
            status,
            alerts: { sender, outbox: memoryOutbox(), now: RUN.now },
            reminderMs: 86_400_000,
          },
        },
      );
    return { sender, run, status };
  }

  it('alerts reconcile-failed for a write the guard refuses, naming the target, the statement and why', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([widenedGrant]) });
    const h = harness(estate, makeDesiredBucket([makeConfiguration()]));

    const report = await h.run('sweep-1');

    expect(report.outcome.status).toBe('failed');
    expect(h.sender.sent.map((alert) => JSON.parse(alert.message))).toEqual([
      expect.objectContaining({
        type: 'reconcile-failed',
        severity: 'high',
        summary:
          `Reconcile of ${SOURCE_BUCKET} failed: PolicyWriteRefusedError: Refused to write the policy of ` +
          `destination bucket ${DESTINATION_BUCKET}: statement #0 ("S3irInventoryDelivery") would be written, ` +
          'but its Principal is {"Service":"s3.amazonaws.com","AWS":"arn:aws:iam::999988887777:root"}, ' +
          'not the s3.amazonaws.com service alone',
      }),
    ]);
    expect(h.status.statuses.get(SOURCE_BUCKET)).toMatchObject({ state: 'failed' });
    expect(estate.writes()).toEqual([]);
  });

  it('alerts action-required with the exact statement once, records it, and is not retried', async () => {
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .addBucket(DESTINATION_BUCKET)
      .injectFault({ operation: 'bucketPolicy.put', error: new FakeAdapterError('AccessDenied', false) });
    const h = harness(estate, makeDesiredBucket([makeConfiguration()]));

    const report = await h.run('sweep-1');

    expect(report.outcome.status).toBe('drift-reported');
    const alerts = h.sender.sent.map((alert) => JSON.parse(alert.message));
    expect(alerts.map((alert) => alert.type)).toEqual(['action-required']);
    expect(alerts.find((alert) => alert.type === 'action-required')).toMatchObject({
      severity: 'high',
      bucket: SOURCE_BUCKET,
      target: DESTINATION_BUCKET,
      statement: accountDestinationGrant(),
      summary: expect.stringMatching(
        /AWS refused this service's write .*; its owner must add the statement$/,
      ),
    });
    expect(estate.events.filter((event) => event.action === 'action-required')).toEqual([
      expect.objectContaining({ target: DESTINATION_BUCKET, after: accountDestinationGrant() }),
    ]);
    expect(estate.events.map((event) => event.action)).not.toContain('reconcile-failed');

    const sent = h.sender.sent.length;
    const events = estate.events.length;
    await h.run('sweep-2');
    expect(h.sender.sent).toHaveLength(sent);
    expect(estate.events.filter((event) => event.action === 'action-required')).toHaveLength(1);
    // Only the put skipped behind the refused grant, recorded by apply as after any unapplied grant.
    expect(estate.events.slice(events).map((event) => [event.runId, event.action, event.configId])).toEqual([
      ['sweep-2', 'drift-detected', 'daily-csv'],
    ]);
  });
});
