import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  HeadObjectCommand,
  type InventoryOptionalField,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { control, deliver } from './controlEndpoints.js';
import {
  createKey,
  destination,
  destinationGrant,
  inventory,
  keyPolicyGranting,
  putInventory,
  sourceWith,
} from './deliveryScenario.js';
import { localAws, region, s3Client, stsClient } from './localAwsClients.js';

const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

async function objectBytes(bucket: string, key: string): Promise<Buffer> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3Client().send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }),
  );
  return Contents.map((object) => object.Key!).sort();
}

describe('report delivery simulation (POST /_local/deliver)', () => {
  it('writes a CSV report in the layout of docs/aws-facts.md §4, with a manifest whose checksum matches', async () => {
    const source = await sourceWith({ 'a.txt': 'alpha', 'dir/b c.txt': 'bravo!', 'z.bin': 'z' });
    const bucket = await destination((dest) => [destinationGrant(dest, source)]);
    const optionalFields: InventoryOptionalField[] = ['ETag', 'Size', 'LastModifiedDate'];
    await putInventory(
      source,
      inventory('daily', bucket, {
        bucketDestination: { Prefix: 'inv' },
        configuration: { OptionalFields: optionalFields },
      }),
    );

    const result = await deliver([source], '2024-05-01T10:20:30Z');
    const base = `inv/${source}/daily`;
    const folder = `${base}/2024-05-01T10-20Z`;
    expect(result).toEqual({
      delivered: [{ bucket: source, id: 'daily', key: `${folder}/manifest.json` }],
      refused: [],
    });
    const keys = await keysUnder(bucket, `${base}/`);
    const dataKey = keys.find((key) => key.startsWith(`${base}/data/`)) ?? '';
    expect(dataKey).toMatch(new RegExp(`^${base}/data/[0-9a-f-]{36}\\.csv\\.gz$`));
    expect(keys).toEqual(
      [
        `${folder}/manifest.checksum`,
        `${folder}/manifest.json`,
        dataKey,
        `${base}/hive/dt=2024-05-01-10-20/symlink.txt`,
      ].sort(),
    );

    const manifest = await objectBytes(bucket, `${folder}/manifest.json`);
    expect((await objectBytes(bucket, `${folder}/manifest.checksum`)).toString('utf8').trim()).toBe(
      md5(manifest),
    );
    const data = await objectBytes(bucket, dataKey);
    expect(JSON.parse(manifest.toString('utf8'))).toEqual({
      sourceBucket: source,
      destinationBucket: `arn:aws:s3:::${bucket}`,
      version: '2016-11-30',
      creationTimestamp: String(Date.parse('2024-05-01T10:20:30Z')),
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, Size, LastModifiedDate, ETag',
      files: [{ key: dataKey, size: data.length, MD5checksum: md5(data) }],
    });
    const rows = gunzipSync(data)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((row) => row.split(','));
    expect(rows.map((row) => row.slice(0, 3))).toEqual([
      [`"${source}"`, '"a.txt"', '"5"'],
      [`"${source}"`, '"dir/b%20c.txt"', '"6"'],
      [`"${source}"`, '"z.bin"', '"1"'],
    ]);
    expect(rows[0]![3]).toMatch(/^"\d{4}-\d\d-\d\dT[\d:.]+Z"$/);
    expect(rows[0]![4]).toBe(`"${md5(Buffer.from('alpha'))}"`);
    const symlink = await objectBytes(bucket, `${base}/hive/dt=2024-05-01-10-20/symlink.txt`);
    expect(symlink.toString('utf8')).toBe(`s3://${bucket}/${dataKey}\n`);
  });

  it('names ORC and Parquet data files by format, and encrypts with the allowed SSE-KMS key', async () => {
    const source = await sourceWith({ 'only.txt': 'x' });
    const bucket = await destination((dest) => [destinationGrant(dest, source)]);
    const keyArn = await createKey(keyPolicyGranting(source));
    const encryption = { SSEKMS: { KeyId: keyArn } };
    await putInventory(source, inventory('orc', bucket, { bucketDestination: { Format: 'ORC' } }));
    await putInventory(
      source,
      inventory('parquet', bucket, { bucketDestination: { Format: 'Parquet', Encryption: encryption } }),
    );

    const result = await deliver([source]);
    expect(result.refused).toEqual([]);
    expect(result.delivered.map(({ id }) => id)).toEqual(['orc', 'parquet']);
    for (const [id, extension, schema] of [
      ['orc', 'orc', 'struct<bucket:string,key:string>'],
      [
        'parquet',
        'parquet',
        'message s3.inventory { required binary bucket (STRING); required binary key (STRING); }',
      ],
    ] as const) {
      const manifestKey = result.delivered.find((report) => report.id === id)!.key;
      const manifest = JSON.parse((await objectBytes(bucket, manifestKey)).toString('utf8'));
      expect(manifest).toMatchObject({ fileFormat: id === 'orc' ? 'ORC' : 'Parquet', fileSchema: schema });
      expect(manifest.files[0].key).toMatch(
        new RegExp(`^${source}/${id}/data/[0-9a-f-]{36}\\.${extension}$`),
      );
    }
    const parquet = result.delivered.find((report) => report.id === 'parquet')!.key;
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: parquet }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({
      sse: 'aws:kms',
      key: keyArn,
    });
  });

  it('delivers into a destination of another account when AccountId names its owner', async () => {
    const owner = '222233334444';
    const { Credentials } = await stsClient().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${owner}:role/dest-owner`,
        RoleSessionName: 'delivery-test',
      }),
    );
    const ownerS3 = new S3Client({
      endpoint: localAws().endpoint,
      region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
    });
    const source = await sourceWith({ 'k.txt': 'k' });
    const bucket = await destination((dest) => [destinationGrant(dest, source)], ownerS3, 'dest-xacct');
    await putInventory(source, inventory('cross', bucket, { bucketDestination: { AccountId: owner } }));
    const result = await deliver([source], '2024-06-01T00:00:00Z');
    expect(result).toEqual({
      delivered: [{ bucket: source, id: 'cross', key: `${source}/cross/2024-06-01T00-00Z/manifest.json` }],
      refused: [],
    });
  });

  it('skips disabled configurations: neither delivered nor refused', async () => {
    const source = await sourceWith({});
    const bucket = await destination((dest) => [destinationGrant(dest, source)]);
    await putInventory(source, inventory('off', bucket, { configuration: { IsEnabled: false } }));
    await putInventory(source, inventory('on', bucket));
    const result = await deliver([source]);
    expect(result.delivered.map(({ id }) => id)).toEqual(['on']);
    expect(result.refused).toEqual([]);
  });

  it.each([
    [{ now: 'yesterday' }, '"now" must be an ISO 8601 time'],
    [{ buckets: 'b' }, '"buckets" must be an array of bucket names'],
    [{ bucket: ['b'] }, 'unknown field(s) bucket'],
    [[], 'the body must be a JSON object'],
  ])('refuses the body %j with 400', async (body, reason) => {
    const reply = await control<{ error: string }>('POST', '/_local/deliver', body);
    expect(reply).toEqual({ status: 400, body: { error: expect.stringContaining(reason) } });
  });
});
