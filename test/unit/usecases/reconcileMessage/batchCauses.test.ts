import { describe, expect, it } from 'vitest';
import type { ChangeCause } from '../../../../lib/core/reconcile/changeCause.js';
import { causesByBucket, withCauses } from '../../../../lib/usecases/reconcileMessage/batchCauses.js';
import { formatBucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';

function cause(eventId: string, time: string): ChangeCause {
  return {
    actor: 'arn:aws:iam::111122223333:user/ana',
    time,
    eventId,
    scope: { kind: 'configuration', bucket: 'photos-5' },
  };
}

const first = cause('00000000-0000-4000-8000-000000000001', '2026-12-06T15:00:00.000Z');
const second = cause('00000000-0000-4000-8000-000000000002', '2026-12-06T15:01:00.000Z');

describe('causesByBucket()', () => {
  it("coalesces the causes of a batch's messages by bucket, each change event once, and skips bodies that do not parse", () => {
    const bodies = [
      formatBucketMessage({ bucket: 'photos-5', runId: 'change-a', cause: first }),
      formatBucketMessage({ bucket: 'photos-5', runId: 'change-b', cause: second }),
      formatBucketMessage({ bucket: 'photos-5', runId: 'change-a', cause: first }), // redelivered
      formatBucketMessage({ bucket: 'logs', runId: 'sweep-1' }),
      'not json',
    ];
    const causes = causesByBucket(bodies);
    expect([...causes.keys()]).toEqual(['photos-5']);
    expect(causes.get('photos-5')).toEqual([first, second]);
  });
});

describe('withCauses()', () => {
  it('adds the causes to the context, and leaves a context without any as it was', () => {
    const context = { runId: 'change-a', actor: 'reconciler' };
    expect(withCauses(context, [first])).toEqual({ ...context, causes: [first] });
    expect(withCauses(context, [])).toBe(context);
    expect(withCauses(context, undefined)).toBe(context);
  });
});
