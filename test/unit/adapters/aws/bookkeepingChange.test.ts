import { describe, expect, it } from 'vitest';
import { isBookkeepingChange } from '../../../../lib/adapters/aws/streamImages.js';
import type { DesiredTableChange } from '../../../../lib/core/audit/desiredChangeEvent.js';

const change = (overrides: Partial<DesiredTableChange>): DesiredTableChange => ({
  changeId: 'c',
  eventName: 'MODIFY',
  bucket: 'b',
  id: '#bucket',
  time: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('isBookkeepingChange()', () => {
  it('skips learned regions, and a leftover run budget item', () => {
    expect(isBookkeepingChange(change({ bucket: '#runs', id: 'run-1' }))).toBe(true);
    expect(
      isBookkeepingChange(
        change({
          eventName: 'INSERT',
          newImage: { bucket: 'b', id: '#bucket', source: 'learned', settings: {} },
        }),
      ),
    ).toBe(true);
    const before = { bucket: 'b', id: '#bucket', source: 'file:x', settings: { mode: 'detect' } };
    const after = { ...before, settings: { region: 'eu-west-1', mode: 'detect' } };
    expect(isBookkeepingChange(change({ oldImage: before, newImage: after }))).toBe(true);
  });

  it('skips what an older version kept in the desired table (statuses, outbox, leases), whatever it holds', () => {
    const status = { bucket: 'b', id: '#status', state: 'drifted', version: 2 };
    for (const eventName of ['INSERT', 'MODIFY', 'REMOVE']) {
      expect(isBookkeepingChange(change({ eventName, id: '#status', newImage: status }))).toBe(true);
      expect(isBookkeepingChange(change({ eventName, bucket: '#outbox', id: 'ab12', newImage: {} }))).toBe(
        true,
      );
      const lease = {
        bucket: '#lease',
        id: 'key-policy:arn:aws:kms:us-east-1:1:key/k',
        holder: 'h',
        expiresAt: 1,
      };
      expect(
        isBookkeepingChange(change({ eventName, bucket: '#lease', id: lease.id, newImage: lease })),
      ).toBe(true);
    }
    // Any other `#` item of a bucket, and any `#` partition but the templates: it declares nothing.
    expect(isBookkeepingChange(change({ id: '#delivery', newImage: {} }))).toBe(true);
    expect(isBookkeepingChange(change({ bucket: '#templates', id: 'all-prod', newImage: {} }))).toBe(false);
  });

  it('keeps every change that declares something', () => {
    const before = { bucket: 'b', id: '#bucket', source: 'file:x', settings: { mode: 'detect' } };
    expect(isBookkeepingChange(change({ id: 'inv', newImage: { bucket: 'b', id: 'inv' } }))).toBe(false);
    expect(
      isBookkeepingChange(
        change({
          oldImage: before,
          newImage: { ...before, settings: { region: 'eu-west-1', mode: 'enforce' } },
        }),
      ),
    ).toBe(false);
    expect(
      isBookkeepingChange(
        change({
          oldImage: { ...before, settings: { region: 'us-east-1' } },
          newImage: { ...before, settings: { region: 'eu-west-1' } },
        }),
      ),
    ).toBe(false);
    expect(isBookkeepingChange(change({ oldImage: before }))).toBe(false);
    expect(isBookkeepingChange(change({ oldImage: { ...before, settings: 'x' }, newImage: before }))).toBe(
      false,
    );
  });
});
