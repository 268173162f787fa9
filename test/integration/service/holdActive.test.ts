import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoChangeWindow } from '../../../lib/adapters/aws/DynamoChangeWindow.js';
import { lambdaContext, scheduledEvent } from '../../e2e/lambdaHarness.js';
import { desiredTestTable, stateTestTable } from '../aws/desiredTestTable.js';
import { localEndpoint } from '../aws/localFactory.js';
import { useFunctionEnv } from './serviceLocal.js';

// Tables of this file's own: the hold put here must never hold another test's reconciles.
let desired: Awaited<ReturnType<typeof desiredTestTable>>;
let state: Awaited<ReturnType<typeof stateTestTable>>;
let restoreEnv: () => void;
let handler: (event: ScheduledEvent, context: Context) => Promise<unknown>;

beforeAll(async () => {
  desired = await desiredTestTable(localEndpoint());
  state = await stateTestTable(localEndpoint());
  restoreEnv = useFunctionEnv({
    endpoint: localEndpoint(),
    desiredTable: desired.tableName,
    stateTable: state.tableName,
    topicArn: '',
    // Nothing is declared: the sweep sends nothing.
    queueUrl: `${localEndpoint()}/000000000000/s3ir-hold-active-unused`,
    roleName: 's3ir-schedule-hold-active',
    extra: { POWERTOOLS_METRICS_DISABLED: 'false' },
  });
  vi.resetModules();
  handler = (await import('../../../functions/schedule.js')).handler as unknown as typeof handler;
}, 120_000);

afterAll(() => {
  restoreEnv?.();
  desired?.destroy();
  state?.destroy();
});

/** The HoldActive values in the EMF lines the handler printed while `act` ran. */
async function holdActiveOf(act: () => Promise<unknown>): Promise<number[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines
    .filter((line) => line.includes('"_aws"') && line.includes('HoldActive'))
    .flatMap((line) => [(JSON.parse(line) as { HoldActive: number | number[] }).HoldActive].flat());
}

describe('schedule: HoldActive every sweep', () => {
  it('emits 0 without a hold and 1 while the service is on hold, so the stuck-hold alarm has data', async () => {
    const sweep = () => handler(scheduledEvent(), lambdaContext('schedule', 300_000));
    expect(await holdActiveOf(sweep)).toEqual([0]);

    const window = new DynamoChangeWindow({ client: state.documents, tableName: state.tableName });
    await window.startHold({
      since: new Date().toISOString(),
      reason: '11 changes in the last 60 min (limit 10, S3IR_MAX_CHANGES)',
      counts: { changes: 10, deletes: 0 },
      requested: { changes: 1, deletes: 0 },
      limits: { maxChanges: 10, windowMinutes: 60 },
      bucket: 'photos',
      runId: 'sweep-0',
      actor: 'reconcile',
    });
    expect(await holdActiveOf(sweep)).toEqual([1]);

    await window.release(60, Date.now());
    expect(await holdActiveOf(sweep)).toEqual([0]);
  }, 120_000);
});
