import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import type { TemplateRefusal } from '../../../../lib/core/desired/templateRefusals.js';
import type { TransitionDeps } from '../../../../lib/usecases/recordTransition/recordTransition.js';
import { reportRefusedTemplates } from '../../../../lib/usecases/sweep/reportTemplates.js';
import { memoryStatusStore } from '../../../helpers/memoryAlerts.js';

const glob: TemplateRefusal = {
  id: 'tpl-glob',
  reason: 'template.match.names[0]: unbalanced "["',
  issues: [{ path: 'template.match.names[0]', message: 'unbalanced "["' }],
};
const renamed: TemplateRefusal = {
  id: 'tpl-name',
  reason: 'template.name: expected "tpl-name"',
  issues: [{ path: 'template.name', message: 'expected "tpl-name"' }],
};

function world() {
  const status = memoryStatusStore();
  const events: AuditEvent[] = [];
  const sent: Alert[] = [];
  let run = 0;
  const deps = (): TransitionDeps => ({
    status,
    audit: { record: async (event) => void events.push(event) },
    dispatch: {
      deliver: async (alerts: readonly Alert[]) => {
        sent.push(...alerts);
        return { sent: alerts.length, queued: [] };
      },
    } as unknown as TransitionDeps['dispatch'],
    reminderMs: 0,
    context: { runId: `sweep-${++run}`, actor: 's3ir-schedule', now: () => new Date(Date.UTC(2026, 0, run)) },
  });
  return { status, events, sent, deps };
}

describe('reportRefusedTemplates', () => {
  it('sends one reconcile-failed alert naming every refused template and field, and records one event each', async () => {
    const w = world();
    await reportRefusedTemplates([glob, renamed], w.deps());
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]).toMatchObject({ type: 'reconcile-failed', bucket: '#templates' });
    expect((w.sent[0]!.detail as { problems?: string[] }).problems).toEqual([
      'template "tpl-glob" refused: template.match.names[0]: unbalanced "["',
      'template "tpl-name" refused: template.name: expected "tpl-name"',
    ]);
    expect(w.events.map((event) => [event.action, event.bucket])).toEqual([
      ['reconcile-failed', '#templates'],
      ['reconcile-failed', '#templates'],
    ]);
    expect(w.status.statuses.get('#templates')?.state).toBe('failed');
  });

  it('sends nothing and writes nothing while the refusals stay as they were', async () => {
    const w = world();
    await reportRefusedTemplates([glob], w.deps());
    const writes = w.status.writes.length;
    await reportRefusedTemplates([glob], w.deps());
    await reportRefusedTemplates([glob], w.deps());
    expect(w.sent).toHaveLength(1);
    expect(w.events).toHaveLength(1);
    expect(w.status.writes).toHaveLength(writes);
  });

  it('alerts again when the refusals change, and says so once when none is left', async () => {
    const w = world();
    await reportRefusedTemplates([glob], w.deps());
    await reportRefusedTemplates([glob, renamed], w.deps());
    await reportRefusedTemplates([], w.deps());
    await reportRefusedTemplates([], w.deps());
    expect(w.sent.map((alert) => alert.type)).toEqual([
      'reconcile-failed',
      'reconcile-failed',
      'drift-resolved',
    ]);
    expect(w.status.statuses.get('#templates')?.state).toBe('in-sync');
  });

  it('writes nothing and sends nothing for a table whose templates were never refused', async () => {
    const w = world();
    expect(await reportRefusedTemplates([], w.deps())).toBeUndefined();
    expect(w.status.writes).toEqual([]);
    expect(w.sent).toEqual([]);
    expect(w.events).toEqual([]);
  });
});
