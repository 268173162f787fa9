import { describe, expect, it } from 'vitest';
import {
  deliveryKey,
  grantAttribute,
  isDeliveryItem,
  isLeaseItem,
  isOutboxItem,
  isRunItem,
  isStatusItem,
  leaseKey,
  outboxKey,
  runKey,
  statusKey,
} from '../../../../lib/adapters/aws/stateTableLayout.js';

describe('stateTableLayout', () => {
  it('builds each kind’s key as the Contract and the IAM grants fix it', () => {
    expect(statusKey('photos')).toEqual({ bucket: 'photos', id: '#status' });
    expect(deliveryKey('photos')).toEqual({ bucket: 'photos', id: '#delivery' });
    expect(outboxKey('a1')).toEqual({ bucket: '#outbox', id: 'a1' });
    expect(runKey('run-1')).toEqual({ bucket: '#runs', id: 'run-1' });
    expect(leaseKey('bucket-policy:dest')).toEqual({ bucket: '#lease', id: 'bucket-policy:dest' });
    expect(grantAttribute('photos')).toBe('grant:photos');
  });

  it('recognises each kind by its key and no other', () => {
    const items = [statusKey('p'), deliveryKey('p'), outboxKey('a'), runKey('r'), leaseKey('l')];
    const recognisers = [isStatusItem, isDeliveryItem, isOutboxItem, isRunItem, isLeaseItem];
    expect(recognisers.map((is) => items.map((item) => is(item)))).toEqual([
      [true, false, false, false, false],
      [false, true, false, false, false],
      [false, false, true, false, false],
      [false, false, false, true, false],
      [false, false, false, false, true],
    ]);
  });
});
