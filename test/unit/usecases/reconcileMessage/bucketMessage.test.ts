import { describe, expect, it } from 'vitest';
import { describeFailure, isRetryable } from '../../../../lib/core/reconcile/reconcileErrors.js';
import { factsRequestFor } from '../../../../lib/usecases/reconcileBucket/factsRequest.js';
import {
  formatBucketMessage,
  InvalidBucketMessageError,
  messageLocation,
  parseBucketMessage,
} from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { DeadlineError, WORKER_DEFAULTS } from '../../../../lib/usecases/reconcileMessage/deadline.js';
import {
  MAX_MESSAGE_TAG_BYTES,
  parseMessageTags,
  tagsForMessage,
} from '../../../../lib/usecases/reconcileMessage/messageTags.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import {
  KEY_ARN,
  makeDesiredBucket,
  SOURCE_BUCKET,
  withDestination,
} from '../../../helpers/reconcileFactories.js';

describe('bucket messages', () => {
  it('round-trips', () => {
    const message = { bucket: 'b', runId: 'r', reason: 'schedule' };
    expect(parseBucketMessage(formatBucketMessage(message))).toEqual(message);
    expect(parseBucketMessage('{"bucket":"b","runId":"r","reason":7}')).toEqual({ bucket: 'b', runId: 'r' });
  });

  it('keeps a well-formed location hint and drops a malformed one without refusing the message', () => {
    const hinted = { bucket: 'b', runId: 'r', region: 'eu-central-2', account: '123456789012' };
    expect(parseBucketMessage(formatBucketMessage(hinted))).toEqual(hinted);
    expect(messageLocation(hinted)).toEqual({ region: 'eu-central-2', account: '123456789012' });
    expect(parseBucketMessage('{"bucket":"b","runId":"r","region":"us-gov-west-1"}')).toEqual({
      bucket: 'b',
      runId: 'r',
      region: 'us-gov-west-1',
    });
    for (const body of [
      '{"bucket":"b","runId":"r","region":"EU"}',
      '{"bucket":"b","runId":"r","region":"../x","account":"123456789012"}',
      '{"bucket":"b","runId":"r","region":7}',
    ]) {
      expect(parseBucketMessage(body)).toEqual({ bucket: 'b', runId: 'r' });
    }
    // An account without a usable region says nothing; a bad account is dropped, the region kept.
    expect(parseBucketMessage('{"bucket":"b","runId":"r","account":"123456789012"}')).toEqual({
      bucket: 'b',
      runId: 'r',
    });
    expect(parseBucketMessage('{"bucket":"b","runId":"r","region":"us-east-1","account":"12"}')).toEqual({
      bucket: 'b',
      runId: 'r',
      region: 'us-east-1',
    });
    expect(messageLocation({ bucket: 'b', runId: 'r' })).toBeUndefined();
  });

  it.each([
    ['not json', /not JSON/],
    ['{"runId":"r"}', /no bucket/],
    ['{"bucket":"b"}', /no runId/],
    ['[1]', /no bucket/],
  ])('refuses %s as a terminal error', (body, message) => {
    expect(() => parseBucketMessage(body)).toThrow(message);
    try {
      parseBucketMessage(body);
    } catch (error) {
      expect(isRetryable(error)).toBe(false);
    }
  });
});

describe('bucket message tags (#18: discovery carries the tags it read)', () => {
  const located = { bucket: 'b', runId: 'r', region: 'eu-west-1', account: '123456789012' };

  it('keeps the tags with the location and hands them to the worker', () => {
    const message = { ...located, tags: { team: 'sec', 'aws:cloudformation:stack-name': 'x', empty: '' } };
    const parsed = parseBucketMessage(formatBucketMessage(message));
    expect(parsed).toEqual(message);
    expect(messageLocation(parsed)).toEqual({
      region: 'eu-west-1',
      account: '123456789012',
      tags: message.tags,
    });
    // No tags: the location says nothing of them (the worker looks them up); none without a region either.
    expect(messageLocation(parseBucketMessage(formatBucketMessage(located)))).not.toHaveProperty('tags');
    expect(parseBucketMessage('{"bucket":"b","runId":"r","tags":{"team":"sec"}}')).toEqual({
      bucket: 'b',
      runId: 'r',
    });
  });

  it('keeps a `__proto__` tag key as a key', () => {
    const parsed = parseBucketMessage(
      `{"bucket":"b","runId":"r","region":"us-east-1","tags":{"__proto__":"v"}}`,
    );
    expect(Object.keys(parsed.tags ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed.tags)).toBe(Object.prototype);
  });

  it("takes S3's limits exactly: 50 tags, keys of 128 and values of 256 characters (astral ones count once)", () => {
    const tags = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(128, 'k'), '😀'.repeat(256)]),
    );
    expect(parseBucketMessage(formatBucketMessage({ ...located, tags })).tags).toEqual(tags);
    expect(tagsForMessage(tags)).toBeUndefined(); // over the message's byte budget: looked up instead
    expect(tagsForMessage({ team: 'sec' })).toEqual({ team: 'sec' });
    const ascii = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(128, 'k'), 'v'.repeat(256)]),
    );
    expect(tagsForMessage(ascii)).toEqual(ascii);
    expect(new TextEncoder().encode(JSON.stringify(ascii)).length).toBeLessThanOrEqual(MAX_MESSAGE_TAG_BYTES);
  });

  it.each([
    [
      '51 tags',
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
      /b: 51 tags: S3 allows at most 50/,
    ],
    [
      'a key of 129 characters',
      { ['k'.repeat(129)]: 'v' },
      /tag key "k{40}" has 129 characters: S3 allows 1 to 128/,
    ],
    ['an empty key', { '': 'v' }, /tag key "" has 0 characters/],
    [
      'a value of 257 characters',
      { team: 'v'.repeat(257) },
      /tag "team" has a value of 257 characters: S3 allows at most 256/,
    ],
    ['a value that is not a string', { team: 7 }, /tag "team" has a value that is not a string/],
    ['tags that are not an object', ['team'], /tags must be an object/],
  ])('refuses a message with %s, naming the bucket and why, as a terminal error', (_case, tags, reason) => {
    const body = JSON.stringify({ ...located, tags });
    expect(() => parseBucketMessage(body)).toThrow(InvalidBucketMessageError);
    expect(() => parseBucketMessage(body)).toThrow(reason);
    expect(parseMessageTags(tags)).toHaveProperty('problem');
  });
});

describe('worker settings', () => {
  it('has defaults for the deadline margin and max receive count, and a retryable deadline error', () => {
    expect(WORKER_DEFAULTS).toEqual({ deadlineMarginMs: 15_000, maxReceiveCount: 5 });
    expect(new DeadlineError('m1')).toMatchObject({ retryable: true, name: 'DeadlineError' });
  });
});

describe('errors', () => {
  it('retries anything that does not say it is terminal', () => {
    expect(isRetryable(Object.assign(new Error('x'), { retryable: false }))).toBe(false);
    expect(isRetryable(new TypeError('bug'))).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
    expect(describeFailure(Object.assign(new Error('a\n b'), { name: 'SlowDown' }))).toBe('SlowDown: a b');
    expect(describeFailure('text')).toBe('text');
  });
});

describe('factsRequestFor()', () => {
  it('asks for destinations and keys of desired and actual configurations, once each, sorted', () => {
    const desired = makeDesiredBucket([makeKmsConfiguration(KEY_ARN, { Id: 'k' })], {
      account: '2',
      region: 'eu-west-1',
    } as never);
    desired.items.push({ bucket: SOURCE_BUCKET, id: 'bad', configuration: 'nope' });
    const elsewhere = withDestination(makeConfiguration({ Id: 'old' }), 'old-reports');
    elsewhere.Destination!.S3BucketDestination!.AccountId = '999';
    expect(factsRequestFor(desired, [elsewhere, makeConfiguration()], 'eu-west-1')).toEqual({
      bucket: SOURCE_BUCKET,
      account: '2',
      region: 'eu-west-1',
      destinations: [{ bucket: 'inventory-reports' }, { bucket: 'old-reports', account: '999' }],
      keys: [KEY_ARN],
    });
  });
});

describe('the cause a change event gives a bucket message', () => {
  const cause = {
    actor: 'arn:aws:iam::111122223333:user/ana',
    sourceIp: '203.0.113.7',
    time: '2026-12-06T15:04:05.000Z',
    eventId: '0b4f7c3e-2d1a-4f5b-9c8e-7a6b5c4d3e2f',
    eventName: 'PutBucketPolicy',
    scope: { kind: 'destination-policy' as const, bucket: 'reports-dst' },
  };

  it('round-trips with the message', () => {
    const message = { bucket: 'photos-5', runId: 'change-1', reason: 'PutBucketPolicy', cause };
    expect(parseBucketMessage(formatBucketMessage(message))).toEqual(message);
  });

  it('is dropped when malformed, and the message still reconciles its bucket', () => {
    for (const bad of [
      { ...cause, actor: 'a\nb' },
      { ...cause, eventId: 'x' },
      'ana',
      { ...cause, scope: {} },
    ]) {
      const body = JSON.stringify({ bucket: 'photos-5', runId: 'change-1', cause: bad });
      expect(parseBucketMessage(body)).toEqual({ bucket: 'photos-5', runId: 'change-1' });
    }
  });
});
