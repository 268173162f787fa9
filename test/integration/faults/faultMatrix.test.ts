import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { selectRows } from '../../faultMatrix/faultRows.js';
import { FaultWorld } from '../../faultMatrix/faultWorld.js';
import { receiveAlerts, runFaultRow } from '../../faultMatrix/runFaultRow.js';
import { localAws } from '../local/localAwsClients.js';
import { privateGateway } from '../local/privateGateway.js';

/**
 * Issue 17, point 1: the fault matrix through the real handlers (schedule → SQS → reconcile, CloudTrail
 * change events → s3Change) on a gateway of this file's own. `S3IR_FAULT_MATRIX` sizes it: the reduced rows
 * by default, `full` for every row (also `npm run faults`), or row ids.
 */
const rows = selectRows(process.env.S3IR_FAULT_MATRIX);
const savedEnv = { ...process.env };
let gateway: Gateway | undefined;
let world: FaultWorld | undefined;

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  world = new FaultWorld({ endpoint: gateway.endpoint, env: localAws().env });
  await world.create();
  // The estate starts with nothing in place: the first sweep converges it.
  await world.sweep();
  await world.drain();
  await receiveAlerts(world);
}, 180_000);

afterAll(async () => {
  await world?.destroy();
  await gateway?.close();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

describe('the fault matrix on the local AWS', () => {
  for (const row of rows) {
    it(`${row.id}: converges within two sweeps, every change and alert once, foreign statements kept`, async (context) => {
      if (!world)
        return context.skip('the global setup reuses a running local AWS: its backends are unknown');
      const result = await runFaultRow(world, row).finally(() => world?.clearFaults());
      expect(result.violations, `changes: ${result.changes.join('; ')}`).toEqual([]);
      if (row.rules(world.names).some((rule) => rule.latencyMs === undefined))
        expect(result.injected).toBeGreaterThan(0);
      expect(result.recoverySweeps).toBeLessThanOrEqual(2);
    }, 240_000);
  }
});
