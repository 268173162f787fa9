import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../lib/core/audit/canonicalJson.js';
import type { DesiredBucket } from '../../../../lib/core/desired/types.js';
import { apply } from '../../../../lib/core/reconcile/apply.js';
import { PlanInvariantError } from '../../../../lib/core/reconcile/errors.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import type { Plan, PlanOptions } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  asPut,
  DESTINATION_BUCKET,
  foreignStatement,
  KEY_ARN,
  makeDesiredBucket,
  makeDesiredItem,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
  SOURCE_BUCKET,
  withDestination,
} from '../../../helpers/reconcileFactories.js';

const TIME = '2026-01-02T03:04:05.000Z';
const context = { runId: 'run-1', actor: 'reconciler', now: () => new Date(TIME) };
const OTHER = 'other-reports';

function estateWith(configurations = [makeConfiguration({ Id: 'old', IsEnabled: false })]): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations })
    .addBucket(DESTINATION_BUCKET)
    .addBucket(OTHER, { policy: makePolicy([ourDestinationGrant([SOURCE_BUCKET], OTHER)]) });
}

function planFor(estate: MemoryEstate, desired: DesiredBucket, options?: PlanOptions): Plan {
  return plan(desired, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET), options);
}

const statusesOf = (outcomes: { key: string; status: string }[]) =>
  outcomes.map(({ key, status }) => [key, status]);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** An event's id as lib/core/audit/eventId.ts defines it: where it belongs, and a hash of what changed. */
const eventId = (
  action: string,
  subject: string,
  change: { before?: unknown; after?: unknown },
  runId = 'run-1',
) => sha256([runId, SOURCE_BUCKET, action, subject, sha256(canonicalJson(change))].join('\n'));

describe('apply()', () => {
  it('makes exactly the planned calls, in order, and converges', async () => {
    const estate = estateWith([
      makeConfiguration({ Id: 'old', IsEnabled: false }),
      makeConfiguration({ Id: 'gone' }),
    ]);
    const desired = makeDesiredBucket([makeConfiguration(), makeConfiguration({ Id: 'old' })], {
      prune: true,
    });

    const result = await apply(planFor(estate, desired), estate, context);

    expect(estate.calls).toEqual([
      'bucketPolicy.get inventory-reports',
      'bucketPolicy.put inventory-reports',
      'bucketPolicy.get inventory-reports',
      'audit.record source-bucket destination-policy-updated',
      // A configuration is not read before its write (the plan's listing is that read), only read back.
      'inventory.put source-bucket daily-csv',
      'inventory.get source-bucket daily-csv',
      'audit.record source-bucket inventory-created',
      'inventory.put source-bucket old',
      'inventory.get source-bucket old',
      'audit.record source-bucket inventory-updated',
      'inventory.delete source-bucket gone',
      'inventory.get source-bucket gone',
      'audit.record source-bucket inventory-deleted',
    ]);
    expect(result).toEqual({
      bucket: SOURCE_BUCKET,
      outcomes: [
        { key: 'grant-destination:inventory-reports', kind: 'grant-destination', status: 'applied' },
        { key: 'create-configuration:daily-csv', kind: 'create-configuration', status: 'applied' },
        { key: 'update-configuration:old', kind: 'update-configuration', status: 'applied' },
        { key: 'delete-configuration:gone', kind: 'delete-configuration', status: 'applied' },
      ],
      auditErrors: [],
      converged: true,
    });
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([accountDestinationGrant()]));
    expect(planFor(estate, desired).actions).toEqual([]);
  });

  it('writes nothing for report-only actions and leaves their drift to the status transition', async () => {
    const estate = estateWith();
    const desired = makeDesiredBucket([makeConfiguration()], { mode: 'detect' });

    const result = await apply(planFor(estate, desired), estate, context);

    expect(estate.writes()).toEqual([]);
    expect(estate.calls.filter((call) => !call.startsWith('audit.'))).toEqual([]);
    expect(statusesOf(result.outcomes)).toEqual([
      ['grant-destination:inventory-reports', 'report-only'],
      ['create-configuration:daily-csv', 'report-only'],
    ]);
    expect(result.converged).toBe(true);
    // Unchanged drift must not add events on every sweep: lib/core/alerts/transition records it when it
    // appears or changes (test/unit/core/alerts/transition.test.ts).
    expect(estate.events).toEqual([]);
    expect(estate.calls.filter((call) => call.startsWith('audit.'))).toEqual([]);
  });

  it('keeps going after a failing put: other configurations still converge', async () => {
    const estate = estateWith().injectFault({ operation: 'inventory.put', detail: 'a' });
    const desired = makeDesiredBucket([
      withDestination(makeConfiguration({ Id: 'a' }), OTHER),
      withDestination(makeConfiguration({ Id: 'b' }), OTHER),
    ]);

    const result = await apply(planFor(estate, desired), estate, context);

    expect(result.outcomes).toEqual([
      {
        key: 'create-configuration:a',
        kind: 'create-configuration',
        status: 'failed',
        error:
          'writing configuration a of source-bucket failed: InternalError: injected fault on inventory.put source-bucket',
      },
      { key: 'create-configuration:b', kind: 'create-configuration', status: 'applied' },
    ]);
    expect(result.converged).toBe(false);
    expect(estate.configurationsOf(SOURCE_BUCKET).map((configuration) => configuration.Id)).toEqual([
      'b',
      'old',
    ]);
    expect(estate.events.map((event) => [event.action, event.configId])).toEqual([
      ['reconcile-failed', 'a'],
      ['inventory-created', 'b'],
    ]);
    expect(estate.events[0]!.message).toBe(
      'could not create inventory a on source-bucket: writing configuration a of source-bucket failed: InternalError: injected fault on inventory.put source-bucket',
    );
  });

  it('skips the put that depends on a failed grant, and runs the independent ones', async () => {
    const estate = estateWith().injectFault({ operation: 'bucketPolicy.put', target: DESTINATION_BUCKET });
    const desired = makeDesiredBucket([
      makeConfiguration(),
      withDestination(makeConfiguration({ Id: 'b' }), OTHER),
    ]);

    const result = await apply(planFor(estate, desired), estate, context);

    expect(result.outcomes).toEqual([
      expect.objectContaining({ key: 'grant-destination:inventory-reports', status: 'failed' }),
      {
        key: 'create-configuration:b',
        kind: 'create-configuration',
        status: 'applied',
      },
      {
        key: 'create-configuration:daily-csv',
        kind: 'create-configuration',
        status: 'skipped',
        error: 'grant-destination:inventory-reports ended failed',
      },
    ]);
    expect(estate.writes()).toEqual(['bucketPolicy.put inventory-reports', 'inventory.put source-bucket b']);
    expect(
      estate.events.map((event) => [event.action, event.configId ?? event.target, event.message]),
    ).toEqual([
      [
        'reconcile-failed',
        DESTINATION_BUCKET,
        expect.stringMatching(
          /^could not grant S3 delivery from source-bucket on inventory-reports: writing policy/,
        ),
      ],
      ['inventory-created', 'b', expect.any(String)],
      // The skipped put is part of this failure, recorded with it, not as drift left on purpose.
      [
        'drift-detected',
        'daily-csv',
        'did not create inventory daily-csv on source-bucket (skipped: grant-destination:inventory-reports ended failed)',
      ],
    ]);
  });

  it('reports a conflict and writes nothing when the policy changed after planning', async () => {
    const estate = estateWith();
    const planned = planFor(estate, makeDesiredBucket([makeConfiguration()]));
    estate.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(makePolicy([foreignStatement()]));

    const result = await apply(planned, estate, context);

    expect(result.outcomes).toEqual([
      {
        key: 'grant-destination:inventory-reports',
        kind: 'grant-destination',
        status: 'conflict',
        error: 'policy of destination bucket inventory-reports changed since the plan was made',
      },
      expect.objectContaining({ key: 'create-configuration:daily-csv', status: 'skipped' }),
    ]);
    expect(estate.writes()).toEqual([]);
    expect(result.converged).toBe(false);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([foreignStatement()]));
    // A stale plan is re-planned by the caller: the conflict and what waited on it record nothing.
    expect(estate.events).toEqual([]);
  });

  it('compares policies as parsed JSON: member order is no conflict, nor is an unrelated change', async () => {
    const estate = estateWith();
    estate.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(makePolicy([foreignStatement()]));
    const planned = planFor(estate, makeDesiredBucket([makeConfiguration()], { prune: true }));
    const reordered = {
      Statement: [foreignStatement()].map(({ Resource, Action, ...rest }) => ({ Resource, ...rest, Action })),
      Version: '2012-10-17',
    };
    estate.buckets.get(DESTINATION_BUCKET)!.policy = JSON.stringify(reordered);
    estate.buckets.get(SOURCE_BUCKET)!.configurations.set('x', makeConfiguration({ Id: 'x' }));

    const result = await apply(planned, estate, context);

    expect(statusesOf(result.outcomes)).toEqual([
      ['grant-destination:inventory-reports', 'applied'],
      ['create-configuration:daily-csv', 'applied'],
      ['delete-configuration:old', 'applied'],
    ]);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(
      makePolicy([foreignStatement(), accountDestinationGrant()]),
    );
  });

  it('writes a configuration changed by hand after planning over it, as planned: no read before, only the read-back', async () => {
    // The plan's listing is the read: S3 has no conditional put for a configuration, so a GET before the put
    // would only narrow a race it cannot close. A hand change made in between is overwritten with what is
    // declared (and recorded with the `before` the plan saw); the next sweep finds the bucket in sync.
    const estate = estateWith([makeConfiguration({ Id: 'old' }), makeConfiguration({ Id: 'gone' })]);
    const desired = makeDesiredBucket(
      [
        withDestination(makeConfiguration({ Id: 'new' }), OTHER),
        withDestination(makeConfiguration({ Id: 'old' }), OTHER),
      ],
      { prune: true },
    );
    const planned = planFor(estate, desired);
    const configurations = estate.buckets.get(SOURCE_BUCKET)!.configurations;
    configurations.set('new', makeConfiguration({ Id: 'new' }));
    configurations.set('old', makeConfiguration({ Id: 'old', IsEnabled: false }));
    configurations.delete('gone');

    const result = await apply(planned, estate, context);

    expect(statusesOf(result.outcomes)).toEqual([
      ['create-configuration:new', 'applied'],
      ['update-configuration:old', 'applied'],
      ['delete-configuration:gone', 'applied'],
    ]);
    expect(estate.calls.filter((call) => call.startsWith('inventory.'))).toEqual([
      'inventory.put source-bucket new',
      'inventory.get source-bucket new',
      'inventory.put source-bucket old',
      'inventory.get source-bucket old',
      'inventory.delete source-bucket gone',
      'inventory.get source-bucket gone',
    ]);
    expect(
      estate
        .configurationsOf(SOURCE_BUCKET)
        .map((configuration) => configuration.Id)
        .sort(),
    ).toEqual(['new', 'old']);
    // The hand change (IsEnabled: false) is gone: the declared configuration is back.
    expect(estate.buckets.get(SOURCE_BUCKET)!.configurations.get('old')).toMatchObject({
      IsEnabled: true,
      Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${OTHER}` } },
    });
  });

  it('makes exactly one read per configuration change through the ports: the read-back after the write', async () => {
    const estate = estateWith([
      makeConfiguration({ Id: 'old', IsEnabled: false }),
      makeConfiguration({ Id: 'gone' }),
    ]);
    const desired = makeDesiredBucket(
      [withDestination(makeConfiguration(), OTHER), withDestination(makeConfiguration({ Id: 'old' }), OTHER)],
      { prune: true },
    );

    const result = await apply(planFor(estate, desired), estate, context);

    expect(result.converged).toBe(true);
    const reads = (id: string) => estate.calls.filter((call) => call === `inventory.get source-bucket ${id}`);
    for (const id of ['daily-csv', 'old', 'gone']) expect(reads(id)).toHaveLength(1);
    for (const [index, call] of estate.calls.entries()) {
      if (!call.startsWith('inventory.get')) continue;
      // Every read comes right after the write it verifies.
      expect(estate.calls[index - 1]).toMatch(/^inventory\.(put|delete) /);
      expect(estate.calls[index - 1]!.split(' ')[2]).toBe(call.split(' ')[2]);
    }
  });

  it('fails an action whose write does not read back as planned', async () => {
    const estate = estateWith().injectFault({ operation: 'inventory.put', effect: 'drop' });

    const result = await apply(
      planFor(estate, makeDesiredBucket([withDestination(makeConfiguration(), OTHER)])),
      estate,
      context,
    );

    expect(result.outcomes).toEqual([
      {
        key: 'create-configuration:daily-csv',
        kind: 'create-configuration',
        status: 'failed',
        error:
          'verification failed: configuration daily-csv of source-bucket reads back differently from what was written',
      },
    ]);
  });

  it('fails a policy write that does not read back as planned, and skips the put that needs it', async () => {
    const bucketEstate = estateWith().injectFault({ operation: 'bucketPolicy.put', effect: 'drop' });
    const keyEstate = estateWith()
      .addKey(KEY_ARN, { policy: makePolicy([rootStatement()]) })
      .injectFault({ operation: 'keyPolicy.put', effect: 'drop' });

    const bucketResult = await apply(
      planFor(bucketEstate, makeDesiredBucket([makeConfiguration()])),
      bucketEstate,
      context,
    );
    const keyResult = await apply(
      planFor(keyEstate, makeDesiredBucket([withDestination(makeKmsConfiguration(), OTHER)])),
      keyEstate,
      context,
    );

    expect(bucketResult.outcomes).toEqual([
      {
        key: 'grant-destination:inventory-reports',
        kind: 'grant-destination',
        status: 'failed',
        error:
          'verification failed: policy of destination bucket inventory-reports reads back differently from what was written',
      },
      {
        key: 'create-configuration:daily-csv',
        kind: 'create-configuration',
        status: 'skipped',
        error: 'grant-destination:inventory-reports ended failed',
      },
    ]);
    expect(statusesOf(keyResult.outcomes)).toEqual([
      [`grant-key:${KEY_ARN}`, 'failed'],
      ['create-configuration:daily-csv', 'skipped'],
    ]);
    expect(keyResult.outcomes[0]!.error).toBe(
      `verification failed: policy of KMS key ${KEY_ARN} reads back differently from what was written`,
    );
  });

  it('fails an action whose target cannot be read back, naming the step', async () => {
    const estate = estateWith().injectFault({
      operation: 'inventory.get',
      error: Object.assign(new Error('Rate exceeded'), { name: 'SlowDown' }),
      times: 1,
    });

    const result = await apply(
      planFor(estate, makeDesiredBucket([withDestination(makeConfiguration(), OTHER)])),
      estate,
      context,
    );

    expect(result.outcomes[0]).toMatchObject({
      status: 'failed',
      error: 're-reading configuration daily-csv of source-bucket failed: SlowDown: Rate exceeded',
    });
    // The write was made (a configuration is not read before it); only its verification failed.
    expect(estate.writes()).toEqual(['inventory.put source-bucket daily-csv']);
  });

  it('deletes a bucket policy that a revoke leaves empty, and revokes key grants through the key port', async () => {
    // Statements of an earlier version, listing the bucket: the account-keyed ones stay (removeDelivery).
    const estate = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeKmsConfiguration(KEY_ARN, { Id: 'gone' })] })
      .addBucket(DESTINATION_BUCKET, { policy: makePolicy([ourDestinationGrant()]) })
      .addKey(KEY_ARN, { policy: makePolicy([rootStatement(), ourKeyGrant()]) });

    const result = await apply(planFor(estate, makeDesiredBucket([], { prune: true })), estate, context);

    expect(statusesOf(result.outcomes)).toEqual([
      ['delete-configuration:gone', 'applied'],
      ['revoke-destination:inventory-reports', 'applied'],
      [`revoke-key:${KEY_ARN}`, 'applied'],
    ]);
    expect(estate.writes()).toEqual([
      'inventory.delete source-bucket gone',
      'bucketPolicy.delete inventory-reports',
      `keyPolicy.put ${KEY_ARN}`,
    ]);
    expect(estate.policyOf(DESTINATION_BUCKET)).toBeUndefined();
    expect(estate.keyPolicyOf(KEY_ARN)).toEqual(makePolicy([rootStatement()]));
  });

  it('grants a key before the put that needs it', async () => {
    const estate = estateWith().addKey(KEY_ARN, { policy: makePolicy([rootStatement()]) });
    const desired = makeDesiredBucket([withDestination(makeKmsConfiguration(), OTHER)]);

    const result = await apply(planFor(estate, desired), estate, context);

    expect(statusesOf(result.outcomes)).toEqual([
      [`grant-key:${KEY_ARN}`, 'applied'],
      ['create-configuration:daily-csv', 'applied'],
    ]);
    expect(estate.keyPolicyOf(KEY_ARN)).toEqual(makePolicy([rootStatement(), accountKeyGrant()]));
    expect(estate.events[0]).toMatchObject({ action: 'key-policy-updated', target: KEY_ARN });
  });

  it('records one audit event per change with deterministic ids, the same for the same run', async () => {
    const run = async (runId: string) => {
      const estate = estateWith([makeConfiguration({ Id: 'old', IsEnabled: false })]);
      const desired = makeDesiredBucket([makeConfiguration({ Id: 'old' })]);
      await apply(planFor(estate, desired), estate, { ...context, runId });
      return estate.events;
    };

    const events = await run('run-1');

    // The put names the verified owner (issue 13), which the present configuration does not.
    const after = asPut(makeConfiguration({ Id: 'old' }));
    const grant = { after: makePolicy([accountDestinationGrant()]) };
    const update = { before: makeConfiguration({ Id: 'old', IsEnabled: false }), after };
    expect(events).toEqual([
      {
        eventId: eventId('destination-policy-updated', 'grant-destination:inventory-reports', grant),
        time: TIME,
        runId: 'run-1',
        bucket: SOURCE_BUCKET,
        action: 'destination-policy-updated',
        actor: 'reconciler',
        target: DESTINATION_BUCKET,
        after: makePolicy([accountDestinationGrant()]),
        message: 'granted S3 delivery from source-bucket on inventory-reports',
      },
      {
        eventId: eventId('inventory-updated', 'update-configuration:old', update),
        time: TIME,
        runId: 'run-1',
        bucket: SOURCE_BUCKET,
        configId: 'old',
        action: 'inventory-updated',
        actor: 'reconciler',
        before: makeConfiguration({ Id: 'old', IsEnabled: false }),
        after,
        message:
          'updated inventory old on source-bucket (Destination.S3BucketDestination.AccountId, IsEnabled)',
      },
    ]);
    expect((await run('run-1')).map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    const otherRun = (await run('run-2')).map((event) => event.eventId);
    expect(otherRun).toEqual([
      eventId('destination-policy-updated', 'grant-destination:inventory-reports', grant, 'run-2'),
      eventId('inventory-updated', 'update-configuration:old', update, 'run-2'),
    ]);
    expect(otherRun).not.toEqual(events.map((event) => event.eventId));
  });

  it('stamps the current time when the context has no clock', async () => {
    const estate = estateWith();
    const before = Date.now();

    const desired = makeDesiredBucket([withDestination(makeConfiguration(), OTHER)]);
    await apply(planFor(estate, desired), estate, { runId: 'r', actor: 'a' });

    const time = Date.parse(estate.events[0]!.time);
    expect(estate.events[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(time).toBeGreaterThanOrEqual(before);
  });

  it('reports an audit sink that refuses an event without undoing or repeating the change', async () => {
    const estate = estateWith().injectFault({ operation: 'audit.record', detail: 'inventory-created' });

    const result = await apply(
      planFor(estate, makeDesiredBucket([withDestination(makeConfiguration(), OTHER)])),
      estate,
      context,
    );

    expect(statusesOf(result.outcomes)).toEqual([['create-configuration:daily-csv', 'applied']]);
    expect(result.converged).toBe(false);
    expect(result.auditErrors).toEqual([
      `recording inventory-created ${eventId('inventory-created', 'create-configuration:daily-csv', { after: asPut(withDestination(makeConfiguration(), OTHER)) })} failed: InternalError: injected fault on audit.record source-bucket`,
    ]);
  });

  it('throws for a plan that breaks its invariants, before writing anything', async () => {
    const estate = estateWith();
    const planned = planFor(estate, makeDesiredBucket([makeConfiguration()]));
    const backwards = { ...planned, actions: [...planned.actions].reverse() };
    const duplicated = { ...planned, actions: [planned.actions[0]!, planned.actions[0]!] };

    await expect(apply(backwards, estate, context)).rejects.toThrow(
      new PlanInvariantError(
        'create-configuration:daily-csv',
        'create-configuration:daily-csv depends on grant-destination:inventory-reports, which does not come before it',
      ),
    );
    await expect(apply(duplicated, estate, context)).rejects.toBeInstanceOf(PlanInvariantError);
    expect(estate.calls).toEqual([]);
  });

  it('writes nothing for an action whose mode is not enforce, as the blast-radius guard counts it', async () => {
    const estate = estateWith();
    const planned = planFor(estate, makeDesiredBucket([withDestination(makeConfiguration(), OTHER)]));
    const odd: Plan = {
      ...planned,
      actions: planned.actions.map((action) => ({ ...action, mode: 'DETECT' as never })),
    };

    const result = await apply(odd, estate, context);

    expect(statusesOf(result.outcomes)).toEqual([['create-configuration:daily-csv', 'report-only']]);
    expect(estate.writes()).toEqual([]);
  });

  it('skips an enforce action that depends on a report-only one', async () => {
    const estate = estateWith();
    const items = [makeDesiredItem(makeConfiguration(), { mode: 'detect' })];
    const planned = planFor(estate, makeDesiredBucket([], { items }));
    const forced: Plan = {
      ...planned,
      actions: planned.actions.map((action) =>
        action.kind === 'create-configuration' ? { ...action, mode: 'enforce' } : action,
      ),
    };

    const result = await apply(forced, estate, context);

    expect(result.outcomes[1]).toEqual({
      key: 'create-configuration:daily-csv',
      kind: 'create-configuration',
      status: 'skipped',
      error: 'grant-destination:inventory-reports ended report-only',
    });
  });
});
