import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { reconcileBucket } from '../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import type { CliDeps } from '../../../lib/wiring/cliWiring.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { LOCAL_REGION, LOCAL_OTHER_ACCOUNT as OTHER, uniqueBucket } from '../aws/localFactory.js';
import { localServiceDeps } from './serviceLocal.js';

let service: CliDeps;
const src = uniqueBucket('svc-theirs');
const dest = uniqueBucket('svc-theirs-dest');

beforeAll(async () => {
  service = localServiceDeps();
  const theirs = await service.factory.s3({ account: OTHER });
  for (const bucket of [src, dest]) await theirs.send(new CreateBucketCommand({ Bucket: bucket }));
  const configuration = makeConfiguration({
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', AccountId: OTHER } },
  });
  const items = fileToItems(
    {
      version: 1,
      buckets: { [src]: { account: OTHER, region: LOCAL_REGION, inventories: [configuration] } },
    },
    { fileName: 'it.yaml', appliedBy: 'it', appliedAt: '2026-01-01T00:00:00Z' },
  );
  await service.desired.putItems(items as unknown as Record<string, unknown>[]);
});
afterAll(() => service.factory.destroy());

describe('reconcileBucket() over the service deps on the local AWS', () => {
  it('converges a bucket of another account through the assumed role, then finds it in sync', async () => {
    const deps = service.reconcileDepsFor({ bucket: src, runId: uniqueBucket('run') });
    const outcome = await reconcileBucket(src, deps);
    expect(outcome).toMatchObject({ status: 'converged', attempts: 1 });

    const theirs = await service.factory.s3({ account: OTHER });
    const listed = await theirs.send(new ListBucketInventoryConfigurationsCommand({ Bucket: src }));
    expect(listed.InventoryConfigurationList?.map((configuration) => configuration.Id)).toEqual([
      'daily-csv',
    ]);
    const policy = JSON.parse((await theirs.send(new GetBucketPolicyCommand({ Bucket: dest }))).Policy!);
    expect(JSON.stringify(policy)).toContain(`"aws:SourceAccount":"${OTHER}"`);

    const again = await reconcileBucket(
      src,
      service.reconcileDepsFor({ bucket: src, runId: uniqueBucket('run') }),
    );
    expect(again.status).toBe('in-sync');
  });

  it('records a bucket that does not exist as a terminal failure', async () => {
    const missing = uniqueBucket('svc-missing');
    await service.desired.putItems([
      { bucket: missing, id: 'x', configuration: makeConfiguration({ Id: 'x' }) },
    ]);
    const outcome = await reconcileBucket(missing, service.reconcileDepsFor({ bucket: missing, runId: 'r' }));
    expect(outcome).toMatchObject({ status: 'failed', failure: expect.stringMatching(/does not exist/) });
  });
});
