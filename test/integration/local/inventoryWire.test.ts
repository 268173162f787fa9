import {
  CreateBucketCommand,
  DeleteBucketCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../../helpers/factories.js';
import { localAws, rawRequest, s3Client, uniqueBucket } from './localAwsClients.js';

const s3 = s3Client();
const bucket = uniqueBucket('wire');

// Members in reverse of the SDK's order, indented, with the namespace: order must not matter.
const reorderedBody = `<?xml version="1.0" encoding="UTF-8"?>
<InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Schedule><Frequency>Weekly</Frequency></Schedule>
  <OptionalFields><Field>ETag</Field><Field>Size</Field></OptionalFields>
  <IncludedObjectVersions>Current</IncludedObjectVersions>
  <Id>reordered</Id>
  <IsEnabled>true</IsEnabled>
  <Destination>
    <S3BucketDestination>
      <Encryption><SSE-S3/></Encryption>
      <Format>ORC</Format>
      <Bucket>arn:aws:s3:::reports</Bucket>
    </S3BucketDestination>
  </Destination>
</InventoryConfiguration>`;

const putRaw = (body: string, query = 'inventory&id=reordered') =>
  rawRequest('PUT', `/${bucket}?${query}`, { body });

describe('local S3 inventory subresource: wire details (docs/aws-facts.md §1)', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('parses elements in any order and serializes the namespace, flattened lists and <SSE-S3/>', async () => {
    expect((await putRaw(reorderedBody)).status).toBe(204);
    const got = await rawRequest('GET', `/${bucket}?inventory&id=reordered`);
    expect(got.status).toBe(200);
    expect(got.body).toContain('<InventoryConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(got.body).toContain('<Encryption><SSE-S3/></Encryption>');
    expect(got.body).toContain('<OptionalFields><Field>ETag</Field><Field>Size</Field></OptionalFields>');
    const list = await rawRequest('GET', `/${bucket}?inventory`);
    expect(list.body).toMatch(
      /^<\?xml[^>]*>\s*<ListInventoryConfigurationsResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/,
    );
    expect(list.body).toContain('<IsTruncated>false</IsTruncated>');
    expect(list.body).not.toContain('NextContinuationToken');
  });

  it.each([
    ['/b?inventory', (b: string) => `/${b}?inventory`],
    ['/b/?inventory=', (b: string) => `/${b}/?inventory=`],
    [
      '/b/?inventory=&x-id=GetBucketInventoryConfiguration (no id: a list)',
      (b: string) => `/${b}/?inventory=&x-id=GetBucketInventoryConfiguration`,
    ],
  ])('lists on %s', async (_, path) => {
    const reply = await rawRequest('GET', path(bucket));
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<ListInventoryConfigurationsResult');
  });

  it('gets on /b/?id=…&inventory= whatever x-id says', async () => {
    await putRaw(reorderedBody);
    const reply = await rawRequest(
      'GET',
      `/${bucket}/?id=reordered&inventory=&x-id=ListBucketInventoryConfigurations`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/^<\?xml[^>]*>\s*<InventoryConfiguration /);
  });

  it.each([
    ['not well-formed XML', '<InventoryConfiguration><Id>x</Id>'],
    ['another root element', reorderedBody.replaceAll('InventoryConfiguration', 'AnalyticsConfiguration')],
    ['an unknown element', reorderedBody.replace('<Id>', '<Colour>blue</Colour><Id>')],
    [
      'a repeated element',
      reorderedBody.replace('<Id>reordered</Id>', '<Id>reordered</Id><Id>reordered</Id>'),
    ],
    [
      'both SSE-S3 and SSE-KMS',
      reorderedBody.replace('<SSE-S3/>', '<SSE-S3/><SSE-KMS><KeyId>k</KeyId></SSE-KMS>'),
    ],
    ['IsEnabled "yes"', reorderedBody.replace('<IsEnabled>true', '<IsEnabled>yes')],
  ])('answers MalformedXML for %s', async (_, body) => {
    const reply = await putRaw(body);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('<Code>MalformedXML</Code>');
  });

  it('sends error XML with Code, Message, BucketName, RequestId, HostId and the request id headers', async () => {
    const missing = uniqueBucket('gone');
    const reply = await rawRequest('GET', `/${missing}?inventory`);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/xml');
    const requestId = reply.headers.get('x-amz-request-id');
    expect(requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(reply.headers.get('x-amz-id-2')).toBeTruthy();
    expect(reply.body).toMatch(
      new RegExp(
        `<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${missing}</BucketName><RequestId>${requestId}</RequestId><HostId>[^<]+</HostId></Error>$`,
      ),
    );
  });

  it('sends the request id headers on successful puts, gets and deletes too', async () => {
    for (const reply of [
      await putRaw(reorderedBody),
      await rawRequest('GET', `/${bucket}?inventory&id=reordered`),
      await rawRequest('DELETE', `/${bucket}?inventory&id=reordered`),
    ]) {
      expect(reply.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
      expect(reply.headers.get('x-amz-id-2')).toBeTruthy();
    }
  });
});

describe('local S3 inventory subresource: a deleted bucket forgets its configurations', () => {
  const putOne = (target: string) =>
    s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: target,
        Id: 'daily-csv',
        InventoryConfiguration: makeConfiguration(),
      }),
    );
  const listed = async (target: string) =>
    (await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: target })))
      .InventoryConfigurationList;

  it('after DeleteBucket through the gateway, a new bucket of the same name starts empty', async () => {
    const target = uniqueBucket('recreated');
    await s3.send(new CreateBucketCommand({ Bucket: target }));
    await putOne(target);
    await s3.send(new DeleteBucketCommand({ Bucket: target }));
    await s3.send(new CreateBucketCommand({ Bucket: target }));
    expect(await listed(target)).toBeUndefined();
  });

  it('after the bucket vanished behind its back (deleted in moto directly), it answers NoSuchBucket and forgets', async () => {
    const { motoEndpoint } = localAws();
    if (!motoEndpoint) return; // reusing an external local AWS: moto is not reachable directly
    const target = uniqueBucket('vanished');
    await s3.send(new CreateBucketCommand({ Bucket: target }));
    await putOne(target);
    const deleted = await fetch(`${motoEndpoint}/${target}`, {
      method: 'DELETE',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    expect(deleted.status).toBe(204);
    await expect(listed(target)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await s3.send(new CreateBucketCommand({ Bucket: target }));
    expect(await listed(target)).toBeUndefined();
  });
});
