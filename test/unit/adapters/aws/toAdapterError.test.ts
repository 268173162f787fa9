import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  AwsAdapterError,
  NotFoundError,
  ThrottledError,
} from '../../../../lib/adapters/aws/errors.js';
import { callAws, toAdapterError } from '../../../../lib/adapters/aws/toAdapterError.js';
import { headError, kmsError, s3Error } from './sdkErrors.js';

describe('toAdapterError()', () => {
  it('maps S3 AccessDenied to AccessDeniedError with code, status, request id and the SDK error as cause', () => {
    const sdk = s3Error('AccessDenied', 403, 'Access Denied');
    const error = toAdapterError(sdk, 'GetBucketPolicy dest');
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toBeInstanceOf(AwsAdapterError);
    expect(error).toMatchObject({
      name: 'AccessDeniedError',
      code: 'AccessDenied',
      status: 403,
      retryable: false,
      requestId: 'REQ123',
      message: 'GetBucketPolicy dest: Access Denied',
    });
    expect(error.cause).toBe(sdk);
  });

  it('maps KMS AccessDeniedException and a bodiless 403 (HeadBucket) to AccessDeniedError', () => {
    expect(toAdapterError(kmsError('AccessDeniedException'))).toBeInstanceOf(AccessDeniedError);
    const head = toAdapterError(headError(403), 'HeadBucket b');
    expect(head).toBeInstanceOf(AccessDeniedError);
    expect(head).toMatchObject({ code: 'AccessDenied', message: 'HeadBucket b: HTTP 403' });
  });

  it.each([
    ['NoSuchBucket', 404, 'bucket'],
    ['NoSuchConfiguration', 404, 'configuration'],
    ['NoSuchBucketPolicy', 404, 'bucket-policy'],
    ['NoSuchKey', 404, 'other'],
  ] as const)('maps %s to NotFoundError for a %s', (code, status, resource) => {
    const error = toAdapterError(s3Error(code, status));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code, status, resource, retryable: false });
  });

  it('maps KMS NotFoundException (HTTP 400) to NotFoundError for a key', () => {
    expect(toAdapterError(kmsError('NotFoundException'))).toMatchObject({
      name: 'NotFoundError',
      code: 'NotFoundException',
      status: 400,
      resource: 'key',
    });
  });

  it('maps a bodiless 404 to NotFoundError with code NotFound', () => {
    expect(toAdapterError(headError(404))).toMatchObject({ name: 'NotFoundError', code: 'NotFound' });
  });

  it.each([
    ['SlowDown', 503],
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 429],
    ['Anything', 429],
  ])('maps %s (%i) to a retryable ThrottledError', (code, status) => {
    const error = toAdapterError(s3Error(code, status));
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error.retryable).toBe(true);
  });

  it.each([
    ['InternalError', 500],
    ['KMSInternalException', 500],
    ['DependencyTimeoutException', 503],
    ['ServiceUnavailable', 503],
  ])('marks the server fault %s as retryable', (code, status) => {
    const error = toAdapterError(kmsError(code, status));
    expect(error.constructor).toBe(AwsAdapterError);
    expect(error.retryable).toBe(true);
  });

  it('keeps client errors such as MalformedXML and MalformedPolicyDocumentException not retryable', () => {
    expect(toAdapterError(s3Error('MalformedXML', 400))).toMatchObject({
      code: 'MalformedXML',
      retryable: false,
    });
    expect(toAdapterError(kmsError('MalformedPolicyDocumentException'))).toMatchObject({ retryable: false });
  });

  it('maps socket errors by their code as retryable', () => {
    const socket = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toAdapterError(socket)).toMatchObject({ code: 'ECONNRESET', retryable: true, status: undefined });
    expect(toAdapterError(Object.assign(new Error('t'), { name: 'TimeoutError' })).retryable).toBe(true);
  });

  it('passes our own errors through unchanged and copes with non-errors', () => {
    const ours = new AccessDeniedError({ code: 'AssumeRoleNotAllowed', message: 'no' });
    expect(toAdapterError(ours, 'ignored')).toBe(ours);
    expect(toAdapterError('boom')).toMatchObject({ code: 'UnknownError', retryable: false });
  });
});

describe('callAws()', () => {
  it('returns the result or throws the mapped error', async () => {
    await expect(callAws('op', async () => 42)).resolves.toBe(42);
    await expect(
      callAws('DeleteBucketInventoryConfiguration src inv', () =>
        Promise.reject(s3Error('NoSuchConfiguration', 404)),
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(/^DeleteBucketInventoryConfiguration src inv: /),
    });
  });
});
