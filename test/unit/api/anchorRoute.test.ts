import { describe, expect, it } from 'vitest';
import { createAuditApiRouter } from '../../../lib/api/auditApiRouter.js';
import type { AuditApiPorts } from '../../../lib/api/types.js';
import type { AnchorStatus } from '../../../lib/core/audit/anchorTypes.js';
import { anchorIndicator } from '../../../viewer/renderAnchor.js';
import { fakePorts } from './fakePorts.js';

const page = { html: '<p>viewer</p>', scriptHash: 'sha256-c2NyaXB0', styleHash: 'sha256-c3R5bGU=' };
const route = (ports: AuditApiPorts) => createAuditApiRouter({ ports, page, now: () => new Date() });
const get = (query: Record<string, string[]> = {}) => ({ method: 'GET', path: '/anchor', query });

const status: AnchorStatus = {
  anchored: true,
  newest: { key: 'digests/999999999997-2.json', sequence: 2, time: '2026-11-26T10:05:00.000Z' },
  verifies: false,
  breaks: [
    {
      kind: 'head-older-than-anchor',
      bucket: 'photos',
      digestKey: 'digests/999999999997-2.json',
      seq: 3,
      reason: 'the chain head is at seq 3, older than seq 4 the newest digest anchored',
    },
  ],
  unanchoredChains: 1,
};

describe('GET /anchor', () => {
  it('answers the newest anchor status from the port', async () => {
    const response = await route({ ...fakePorts().ports, anchor: async () => status })(get());
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ version: 1, configured: true, ...status });
  });

  it('says plainly when no digest bucket is configured', async () => {
    const response = await route(fakePorts().ports)(get());
    expect(JSON.parse(response.body)).toEqual({
      version: 1,
      configured: false,
      anchored: false,
      verifies: false,
      breaks: [],
      unanchoredChains: 0,
    });
  });

  it('refuses a parameter it does not take', async () => {
    const response = await route(fakePorts().ports)(get({ bucket: ['photos'] }));
    expect(response.statusCode).toBe(400);
  });
});

describe('anchorIndicator() (the viewer line)', () => {
  it('says when the history was last anchored, and what does not verify', () => {
    expect(anchorIndicator({ version: 1, configured: true, ...status })).toEqual({
      state: 'broken',
      text: '✗ Last anchored 2026-11-26T10:05:00.000Z (digest 2); it does not verify: head-older-than-anchor at bucket photos: the chain head is at seq 3, older than seq 4 the newest digest anchored.',
    });
    expect(anchorIndicator({ version: 1, configured: true, ...status, verifies: true, breaks: [] })).toEqual({
      state: 'intact',
      text: '✓ Last anchored 2026-11-26T10:05:00.000Z (digest 2); the table matches it. 1 chain has events since, not yet anchored.',
    });
    expect(
      anchorIndicator({
        version: 1,
        configured: false,
        anchored: false,
        verifies: false,
        breaks: [],
        unanchoredChains: 0,
      }),
    ).toMatchObject({ state: 'unknown' });
  });
});
