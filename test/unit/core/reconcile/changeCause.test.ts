import { describe, expect, it } from 'vitest';
import {
  actionSubject,
  type ChangeCause,
  causeFor,
  newestCause,
} from '../../../../lib/core/reconcile/changeCause.js';
import { parseChangeCause } from '../../../../lib/core/reconcile/parseChangeCause.js';
import type { PlanAction } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import {
  DESTINATION_BUCKET,
  KEY_ARN,
  makePolicy,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const EVENT_ID = '0b4f7c3e-2d1a-4f5b-9c8e-7a6b5c4d3e2f';
const ANA = 'arn:aws:iam::111122223333:user/ana';

function cause(overrides: Partial<ChangeCause> = {}): ChangeCause {
  return {
    actor: ANA,
    sourceIp: '203.0.113.7',
    time: '2026-12-06T15:04:05.000Z',
    eventId: EVENT_ID,
    eventName: 'PutBucketInventoryConfiguration',
    scope: { kind: 'configuration', bucket: SOURCE_BUCKET, configId: 'daily-csv' },
    ...overrides,
  };
}

const configurationOf = (configId: string) =>
  ({ kind: 'configuration', bucket: SOURCE_BUCKET, configId }) as const;

describe('causeFor()', () => {
  it('records the cause on the events about what the call touched, without its scope', () => {
    expect(causeFor(configurationOf('daily-csv'), [cause()])).toEqual({
      actor: ANA,
      sourceIp: '203.0.113.7',
      time: '2026-12-06T15:04:05.000Z',
      eventId: EVENT_ID,
      eventName: 'PutBucketInventoryConfiguration',
    });
    expect(causeFor(configurationOf('weekly'), [cause()])).toBeUndefined();
    expect(causeFor({ ...configurationOf('daily-csv'), bucket: 'other' }, [cause()])).toBeUndefined();
    expect(causeFor(configurationOf('daily-csv'), undefined)).toBeUndefined();
    expect(causeFor(configurationOf('daily-csv'), [])).toBeUndefined();
  });

  it('matches every configuration of the bucket when the call named none, and a deleted bucket as both', () => {
    const anyConfiguration = cause({ scope: { kind: 'configuration', bucket: SOURCE_BUCKET } });
    expect(causeFor(configurationOf('weekly'), [anyConfiguration])?.eventId).toBe(EVENT_ID);
    const deleted = cause({
      eventName: 'DeleteBucket',
      scope: { kind: 'bucket', bucket: DESTINATION_BUCKET },
    });
    expect(causeFor({ kind: 'destination-policy', bucket: DESTINATION_BUCKET }, [deleted])?.eventName).toBe(
      'DeleteBucket',
    );
    expect(
      causeFor({ kind: 'configuration', bucket: DESTINATION_BUCKET, configId: 'x' }, [deleted]),
    ).toBeDefined();
    // A policy call on the destination is not about the source's configurations, and the reverse.
    const policy = cause({ scope: { kind: 'destination-policy', bucket: DESTINATION_BUCKET } });
    expect(
      causeFor({ kind: 'configuration', bucket: DESTINATION_BUCKET, configId: 'x' }, [policy]),
    ).toBeUndefined();
    expect(causeFor({ kind: 'destination-policy', bucket: SOURCE_BUCKET }, [cause()])).toBeUndefined();
  });

  it('matches a key by ARN or by key id, never by an alias', () => {
    const subject = { kind: 'key-policy', keyArn: KEY_ARN } as const;
    const byId = cause({ scope: { kind: 'key-policy', keys: ['1234abcd-12ab-34cd-56ef-1234567890ab'] } });
    const byArn = cause({ scope: { kind: 'key-policy', keys: [KEY_ARN] } });
    const byAlias = cause({ scope: { kind: 'key-policy', keys: ['alias/reports'] } });
    expect(causeFor(subject, [byId])).toBeDefined();
    expect(causeFor(subject, [byArn])).toBeDefined();
    expect(causeFor(subject, [byAlias])).toBeUndefined();
  });

  it('keeps the newest of several causes about one subject (coalesced events), by time then event id', () => {
    const older = cause({ actor: 'arn:aws:iam::111122223333:user/old', time: '2026-12-06T15:00:00.000Z' });
    const newer = cause({ actor: 'arn:aws:iam::111122223333:user/new', time: '2026-12-06T15:09:00.000Z' });
    const elsewhere = cause({ time: '2026-12-06T16:00:00.000Z', scope: configurationOf('weekly') });
    expect(causeFor(configurationOf('daily-csv'), [older, newer, elsewhere])?.actor).toBe(newer.actor);
    expect(causeFor(configurationOf('daily-csv'), [newer, older])?.actor).toBe(newer.actor);
    const tie = cause({ eventId: 'ffffffff-2d1a-4f5b-9c8e-7a6b5c4d3e2f', actor: 'arn:aws:iam::1:user/tie' });
    expect(causeFor(configurationOf('daily-csv'), [cause(), tie])?.actor).toBe(tie.actor);
    expect(newestCause([older, elsewhere, newer])).toBe(elsewhere);
    expect(newestCause([])).toBeUndefined();
  });
});

describe('actionSubject()', () => {
  it('names the configuration, the destination policy or the key policy an action is about', () => {
    const create: PlanAction = {
      kind: 'create-configuration',
      key: 'create-configuration:daily-csv',
      id: 'daily-csv',
      mode: 'enforce',
      dependsOn: [],
      reason: 'r',
      after: makeConfiguration(),
    };
    const grant: PlanAction = {
      kind: 'grant-destination',
      key: `grant-destination:${DESTINATION_BUCKET}`,
      destinationBucket: DESTINATION_BUCKET,
      mode: 'enforce',
      dependsOn: [],
      reason: 'r',
      before: undefined,
      after: makePolicy([]),
    };
    const key: PlanAction = {
      kind: 'grant-key',
      key: `grant-key:${KEY_ARN}`,
      keyArn: KEY_ARN,
      mode: 'enforce',
      dependsOn: [],
      reason: 'r',
      before: makePolicy([]),
      after: makePolicy([]),
    };
    expect(actionSubject(create, SOURCE_BUCKET)).toEqual(configurationOf('daily-csv'));
    expect(actionSubject(grant, SOURCE_BUCKET)).toEqual({
      kind: 'destination-policy',
      bucket: DESTINATION_BUCKET,
    });
    expect(actionSubject(key, SOURCE_BUCKET)).toEqual({ kind: 'key-policy', keyArn: KEY_ARN });
  });
});

describe('parseChangeCause()', () => {
  it('keeps a well-formed cause and normalizes CloudTrail time to milliseconds', () => {
    const wire = { ...cause(), time: '2026-12-06T15:04:05Z', eventId: EVENT_ID.toUpperCase() };
    expect(parseChangeCause(JSON.parse(JSON.stringify(wire)))).toEqual(cause());
  });

  it('accepts what CloudTrail puts in sourceIPAddress: IPv4, IPv6, an AWS service name', () => {
    for (const sourceIp of ['203.0.113.7', '2001:db8::1', 's3.amazonaws.com', 'AWS Internal'])
      expect(parseChangeCause(cause({ sourceIp }))?.sourceIp).toBe(sourceIp);
  });

  it('leaves out a malformed optional field and keeps the rest', () => {
    const parsed = parseChangeCause({ ...cause(), sourceIp: '<script>', eventName: 'Put Bucket' });
    expect(parsed).toEqual({ ...cause(), sourceIp: undefined, eventName: undefined });
    expect(parsed).not.toHaveProperty('sourceIp');
    expect(parsed).not.toHaveProperty('eventName');
    expect(parseChangeCause({ ...cause(), sourceIp: '1'.repeat(65) })).not.toHaveProperty('sourceIp');
  });

  it.each([
    ['not an object', 'ana'],
    ['no actor', { ...cause(), actor: undefined }],
    ['an actor with spaces', { ...cause(), actor: 'ana smith' }],
    ['an actor with a control character', { ...cause(), actor: 'arn:\u001b[31m' }],
    ['an actor over 1024 characters', { ...cause(), actor: `arn:${'a'.repeat(1021)}` }],
    ['an event id that is not a UUID', { ...cause(), eventId: 'e1' }],
    ['a time without zone', { ...cause(), time: '2026-12-06T15:04:05' }],
    ['an impossible time', { ...cause(), time: '2026-13-45T15:04:05Z' }],
    ['no scope', { ...cause(), scope: undefined }],
    ['an unknown scope', { ...cause(), scope: { kind: 'table', bucket: SOURCE_BUCKET } }],
    ['a bucket that is no bucket name', { ...cause(), scope: { kind: 'bucket', bucket: 'Photos/../x' } }],
    [
      'a bad configuration id',
      { ...cause(), scope: { kind: 'configuration', bucket: SOURCE_BUCKET, configId: 'a b' } },
    ],
    ['no key', { ...cause(), scope: { kind: 'key-policy', keys: [] } }],
    ['too many keys', { ...cause(), scope: { kind: 'key-policy', keys: ['a', 'b', 'c', 'd', 'e'] } }],
    ['a key name with spaces', { ...cause(), scope: { kind: 'key-policy', keys: ['a key'] } }],
  ])('drops a cause with %s', (_, value) => {
    expect(parseChangeCause(value)).toBeUndefined();
  });
});
