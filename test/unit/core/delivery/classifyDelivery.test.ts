import { describe, expect, it } from 'vitest';
import { classifyDelivery } from '../../../../lib/core/delivery/classifyDelivery.js';

const now = new Date('2026-11-26T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const report = (hours: number, problems: string[] = []) => ({
  time: hoursAgo(hours),
  folder: `folder-${hours}h`,
  problems,
});

describe('classifyDelivery', () => {
  it('is ok for a verified Daily report within 24 h plus slack', () => {
    expect(classifyDelivery({ frequency: 'Daily', now, newest: report(30) })).toEqual({ status: 'ok' });
  });

  it('is late for a Daily report older than 36 h, saying how old', () => {
    expect(classifyDelivery({ frequency: 'Daily', now, newest: report(80) })).toEqual({
      status: 'late',
      reason: 'the newest report, folder-80h, is 3 days old; Daily reports arrive every 24 h',
    });
  });

  it('gives Weekly reports 7 days plus a day', () => {
    expect(classifyDelivery({ frequency: 'Weekly', now, newest: report(24 * 7 + 20) }).status).toBe('ok');
    expect(classifyDelivery({ frequency: 'Weekly', now, newest: report(24 * 8 + 1) }).status).toBe('late');
  });

  it('is invalid when the newest report fails verification', () => {
    expect(classifyDelivery({ frequency: 'Daily', now, newest: report(2, ['checksum differs']) })).toEqual({
      status: 'invalid',
      reason: 'report folder-2h: checksum differs',
    });
  });

  it('is pending without a report within 48 h of the last change', () => {
    const verdict = classifyDelivery({ frequency: 'Daily', now, changedAt: hoursAgo(47) });
    expect(verdict.status).toBe('pending');
    expect(verdict.reason).toContain(hoursAgo(47).toISOString());
  });

  it('is missing without any report after the grace period, or with no known change', () => {
    expect(classifyDelivery({ frequency: 'Daily', now, changedAt: hoursAgo(49) }).status).toBe('missing');
    expect(classifyDelivery({ frequency: 'Daily', now })).toEqual({
      status: 'missing',
      reason: 'no report has ever arrived',
    });
  });

  it('is pending when the newest report predates a recent change, even an invalid one', () => {
    const newest = report(10, ['manifest fileFormat is "CSV", expected "Parquet"']);
    expect(classifyDelivery({ frequency: 'Daily', now, newest, changedAt: hoursAgo(3) }).status).toBe(
      'pending',
    );
  });

  it("counts a report of the change's own minute as after it (folder names keep only the minute)", () => {
    const changedAt = new Date('2026-11-26T11:00:41Z');
    const newest = { time: new Date('2026-11-26T11:00:00Z'), folder: '2026-11-26T11-00Z', problems: [] };
    expect(classifyDelivery({ frequency: 'Daily', now, newest, changedAt })).toEqual({ status: 'ok' });
  });

  it('is late when only reports from before a change older than the grace period exist', () => {
    const verdict = classifyDelivery({
      frequency: 'Daily',
      now,
      newest: report(100),
      changedAt: hoursAgo(60),
    });
    expect(verdict.status).toBe('late');
    expect(verdict.reason).toContain('predates it');
  });
});
