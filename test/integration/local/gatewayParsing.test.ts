import { describe, expect, it } from 'vitest';
import { rpcOperation } from '../../../infra/local/gateway/operationName.js';
import { credentialScope } from '../../../infra/local/gateway/requestInfo.js';
import { s3Operation } from '../../../infra/local/gateway/s3Operation.js';
import { Gateway } from '../../../infra/local/gateway.js';

const q = (query: string) => new URLSearchParams(query);

describe('credentialScope()', () => {
  it('reads the service from a SigV4 Authorization header', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc';
    expect(credentialScope(header, q(''))).toEqual({
      accessKeyId: 'AKID',
      region: 'eu-west-1',
      service: 'dynamodb',
    });
  });

  it('reads a presigned URL X-Amz-Credential, SigV4a scopes and SigV2', () => {
    expect(
      credentialScope(undefined, q('X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request')),
    ).toMatchObject({ service: 's3' });
    expect(
      credentialScope('AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, Signature=x', q('')),
    ).toEqual({
      accessKeyId: 'AKID',
      region: undefined,
      service: 's3',
    });
    expect(credentialScope('AWS AKID:signature', q(''))).toMatchObject({ service: 's3' });
    expect(credentialScope(undefined, q(''))).toBeUndefined();
  });
});

describe('s3Operation()', () => {
  it.each([
    ['GET', undefined, undefined, '', 'ListBuckets'],
    ['PUT', 'b', undefined, '', 'CreateBucket'],
    ['DELETE', 'b', undefined, '', 'DeleteBucket'],
    ['HEAD', 'b', undefined, '', 'HeadBucket'],
    ['GET', 'b', undefined, 'list-type=2&prefix=a', 'ListObjectsV2'],
    ['GET', 'b', undefined, 'location', 'GetBucketLocation'],
    ['PUT', 'b', undefined, 'policy', 'PutBucketPolicy'],
    ['GET', 'b', undefined, 'policy', 'GetBucketPolicy'],
    ['DELETE', 'b', undefined, 'policy', 'DeleteBucketPolicy'],
    [
      'GET',
      'b',
      undefined,
      'inventory=&x-id=GetBucketInventoryConfiguration',
      'ListBucketInventoryConfigurations',
    ],
    ['GET', 'b', undefined, 'id=x&inventory=', 'GetBucketInventoryConfiguration'],
    ['PUT', 'b', undefined, 'id=x&inventory', 'PutBucketInventoryConfiguration'],
    ['DELETE', 'b', undefined, 'id=x&inventory', 'DeleteBucketInventoryConfiguration'],
    ['GET', 'b', undefined, 'tagging', 'GetBucketTagging'],
    ['POST', 'b', undefined, 'delete', 'DeleteObjects'],
    ['PUT', 'b', 'k', '', 'PutObject'],
    ['GET', 'b', 'k', '', 'GetObject'],
    ['HEAD', 'b', 'k', '', 'HeadObject'],
    ['DELETE', 'b', 'k', '', 'DeleteObject'],
    ['GET', 'b', 'k', 'tagging', 'GetObjectTagging'],
    ['POST', 'b', 'k', 'uploads', 'CreateMultipartUpload'],
    ['PUT', 'b', 'k', 'partNumber=1&uploadId=u', 'UploadPart'],
    ['POST', 'b', 'k', 'uploadId=u', 'CompleteMultipartUpload'],
  ])('%s bucket=%s key=%s ?%s is %s', (method, bucket, key, query, expected) => {
    expect(s3Operation(method, bucket, key, q(query), {})).toBe(expected);
  });

  it('tells CopyObject from PutObject by x-amz-copy-source', () => {
    expect(s3Operation('PUT', 'b', 'k', q(''), { 'x-amz-copy-source': '/a/b' })).toBe('CopyObject');
  });
});

describe('rpcOperation()', () => {
  it('reads X-Amz-Target, an RPC v2 path, and Action from the URL or the form body', () => {
    expect(rpcOperation({ 'x-amz-target': 'TrentService.GetKeyPolicy' }, '/', q(''), undefined)).toBe(
      'GetKeyPolicy',
    );
    expect(
      rpcOperation({}, '/service/GraniteServiceVersion20100801/operation/PutMetricData', q(''), undefined),
    ).toBe('PutMetricData');
    expect(rpcOperation({}, '/', q('Action=ListTopics'), undefined)).toBe('ListTopics');
    expect(rpcOperation({}, '/', q(''), Buffer.from('Action=Publish&Version=2010-03-31'))).toBe('Publish');
  });
});

describe('Gateway', () => {
  it('answers 503 ServiceUnavailable, in the protocol of the request, until its backends are connected', async () => {
    const gateway = await Gateway.listen({ region: 'us-east-1' });
    try {
      const scope = (service: string) =>
        `AWS4-HMAC-SHA256 Credential=t/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
      const s3 = await fetch(`${gateway.endpoint}/b?inventory`, { headers: { authorization: scope('s3') } });
      expect(s3.status).toBe(503);
      expect(await s3.text()).toContain('<Code>ServiceUnavailable</Code>');
      const dynamodb = await fetch(gateway.endpoint, {
        method: 'POST',
        headers: { authorization: scope('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.ListTables' },
        body: '{}',
      });
      expect(dynamodb.status).toBe(503);
      expect(dynamodb.headers.get('x-amzn-errortype')).toBe('ServiceUnavailable');
      // DynamoDB names its error types with their Smithy namespace; the SDK takes what follows `#`.
      expect(await dynamodb.json()).toMatchObject({
        __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
      });
      expect((await fetch(`${gateway.endpoint}/_local/health`)).status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});
