import { describe, expect, it } from 'vitest';
import { describeFailure, isRetryable } from '../../../../lib/core/reconcile/reconcileErrors.js';
import { factsRequestFor } from '../../../../lib/usecases/reconcileBucket/factsRequest.js';
import {
  formatBucketMessage,
  messageLocation,
  parseBucketMessage,
} from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { DeadlineError, WORKER_DEFAULTS } from '../../../../lib/usecases/reconcileMessage/deadline.js';
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
