import { describe, expect, it } from 'vitest';
import {
  brakeSlotKey,
  deliveryKey,
  holdKey,
  isBrakeItem,
  isDeliveryItem,
  isLeaseItem,
  isOutboxItem,
  isStatusItem,
  leaseKey,
  outboxKey,
  statusKey,
} from '../../../../lib/adapters/aws/stateTableLayout.js';

describe('stateTableLayout', () => {
  it('builds each kind’s key as the Contract and the IAM grants fix it', () => {
    expect(statusKey('photos')).toEqual({ bucket: 'photos', id: '#status' });
    expect(deliveryKey('photos')).toEqual({ bucket: 'photos', id: '#delivery' });
    expect(outboxKey('a1')).toEqual({ bucket: '#outbox', id: 'a1' });
    expect(brakeSlotKey('2026-12-06T15:45Z')).toEqual({ bucket: '#brake', id: '2026-12-06T15:45Z' });
    expect(holdKey()).toEqual({ bucket: '#hold', id: 'current' });
    expect(leaseKey('bucket-policy:dest')).toEqual({ bucket: '#lease', id: 'bucket-policy:dest' });
  });

  it('recognises each kind by its key and no other', () => {
    const items = [
      statusKey('p'),
      deliveryKey('p'),
      outboxKey('a'),
      brakeSlotKey('m'),
      leaseKey('l'),
      holdKey(),
    ];
    const recognisers = [isStatusItem, isDeliveryItem, isOutboxItem, isBrakeItem, isLeaseItem];
    expect(recognisers.map((is) => items.map((item) => is(item)))).toEqual([
      [true, false, false, false, false, false],
      [false, true, false, false, false, false],
      [false, false, true, false, false, false],
      [false, false, false, true, false, true],
      [false, false, false, false, true, false],
    ]);
  });
});
