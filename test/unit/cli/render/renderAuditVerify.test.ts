import { describe, expect, it } from 'vitest';
import { renderAuditVerify } from '../../../../lib/cli/render/renderAuditVerify.js';

describe('renderAuditVerify()', () => {
  it('says the chains are intact, with counts', () => {
    expect(renderAuditVerify({ intact: true, chains: 3, events: 41, breaks: [] })).toBe(
      '3 chains, 41 events: intact\n',
    );
    expect(renderAuditVerify({ intact: true, chains: 1, events: 1, breaks: [] })).toBe(
      '1 chain, 1 event: intact\n',
    );
    expect(renderAuditVerify({ intact: true, chains: 0, events: 0, breaks: [] }, { color: true })).toBe(
      '0 chains, 0 events: \u001b[32mintact\u001b[39m\n',
    );
  });

  it('names the first broken event of each chain, then the count', () => {
    const text = renderAuditVerify({
      intact: false,
      chains: 2,
      events: 9,
      breaks: [
        {
          bucket: 'logs',
          eventId: '3f2a',
          seq: 5,
          time: '2026-11-26T10:00:00.000Z',
          reason: 'hash does not match its content',
        },
        { bucket: 'photos', reason: 'no chain head (#chain)' },
        { bucket: 'zeta', eventId: 'e9', reason: 'not in the chain' },
      ],
    });
    expect(text).toBe(
      [
        'audit chain of logs broken at event 3f2a (seq 5, 2026-11-26T10:00:00.000Z): hash does not match its content',
        'audit chain of photos broken: no chain head (#chain)',
        'audit chain of zeta broken at event e9: not in the chain',
        '2 chains, 9 events: 3 broken',
        '',
      ].join('\n'),
    );
  });
});
