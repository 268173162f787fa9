import { describe, expect, it } from 'vitest';
import { allowedAccountsOnce } from '../../../lib/wiring/allowedAccounts.js';

const HOME = '111122223333';
const OTHER = '222233334444';

describe('allowedAccountsOnce()', () => {
  it('adds the home account to S3IR_ALLOWED_ACCOUNTS, asking for it once', async () => {
    let asked = 0;
    const allowed = allowedAccountsOnce({ allowedAccounts: [OTHER] }, async () => {
      asked++;
      return HOME;
    });
    expect(asked).toBe(0);
    expect([...(await allowed())].sort()).toEqual([HOME, OTHER]);
    expect(await allowed()).toBe(await allowed());
    expect(asked).toBe(1);
  });

  it('is the home account alone when nothing is configured', async () => {
    const allowed = allowedAccountsOnce({}, async () => HOME);
    expect([...(await allowed())]).toEqual([HOME]);
  });

  it('asks again after a failed resolution rather than keeping the failure', async () => {
    const answers: (() => Promise<string>)[] = [
      () => Promise.reject(new Error('STS unreachable')),
      () => Promise.resolve(HOME),
    ];
    const allowed = allowedAccountsOnce({ allowedAccounts: [OTHER] }, () => answers.shift()!());
    await expect(allowed()).rejects.toThrow('STS unreachable');
    expect([...(await allowed())].sort()).toEqual([HOME, OTHER]);
    expect(answers).toEqual([]);
  });
});
