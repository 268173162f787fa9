import { describe, expect, it } from 'vitest';
import { accountSummaries, renderAccountSummaries } from '../../../../lib/cli/render/renderAccounts.js';

const [A, B] = ['111122223333', '444455556666'];

describe('accountSummaries()', () => {
  it('counts the buckets of each account by status, every status named, sorted by account', () => {
    const summaries = accountSummaries([
      { account: B, status: 'failed' },
      { account: A, status: 'in-sync' },
      { account: A, status: 'drifted' },
      { account: A, status: 'in-sync' },
    ]);
    expect(summaries).toEqual([
      { account: A, buckets: 3, counts: { 'in-sync': 2, drifted: 1, 'action-required': 0, failed: 0 } },
      { account: B, buckets: 1, counts: { 'in-sync': 0, drifted: 0, 'action-required': 0, failed: 1 } },
    ]);
  });

  it('names not-managed only for an account that has such a bucket', () => {
    const [a, b] = accountSummaries([
      { account: A, status: 'not-managed' },
      { account: B, status: 'action-required' },
    ]);
    expect(a?.counts).toEqual({
      'in-sync': 0,
      drifted: 0,
      'action-required': 0,
      failed: 0,
      'not-managed': 1,
    });
    expect(b?.counts).not.toHaveProperty('not-managed');
  });

  it('is empty without buckets', () => {
    expect(accountSummaries([])).toEqual([]);
  });
});

describe('renderAccountSummaries()', () => {
  it('prints one aligned line per account under "By account:"', () => {
    const rows = [
      ...Array.from({ length: 12 }, () => ({ account: A, status: 'in-sync' as const })),
      { account: B, status: 'drifted' as const },
    ];
    expect(renderAccountSummaries(accountSummaries(rows))).toBe(
      'By account:\n' +
        `  ${A}  12 buckets: 12 in-sync, 0 drifted, 0 action-required, 0 failed\n` +
        `  ${B}   1 bucket: 0 in-sync, 1 drifted, 0 action-required, 0 failed\n`,
    );
  });

  it('prints nothing without accounts, and paints only the heading in colour', () => {
    expect(renderAccountSummaries([])).toBe('');
    const colored = renderAccountSummaries(accountSummaries([{ account: A, status: 'failed' }]), {
      color: true,
    });
    expect(colored).toBe(
      `\u001b[1mBy account:\u001b[22m\n  ${A}  1 bucket: 0 in-sync, 0 drifted, 0 action-required, 1 failed\n`,
    );
  });
});
