import type { IncomingMessage } from 'node:http';
import { isMutating } from '../events/constants.js';
import { operationIsInBody, rpcOperation } from './operationName.js';
import { readBody } from './readBody.js';
import type { RequestInfo } from './requestInfo.js';
import { s3Operation } from './s3Operation.js';

/** A request as the gateway counts, faults and records it. */
export interface IdentifiedCall {
  /** Service of the SigV4 scope; undefined for an unsigned request. */
  service: string | undefined;
  /** `PutBucketPolicy`, `PutItem`, `Publish`… (`Unknown` when the request names none). */
  operation: string;
  /** The body, when it had to be read: query protocol (the operation is in it) and KMS mutations (the KeyId). */
  body?: Buffer;
}

/** Larger bodies than this are not read into memory (none of the calls that need reading come close). */
const MAX_READ_BODY = 16 * 1024 * 1024;

/**
 * Names the operation of a request: S3 from method, path and subresource; JSON services from
 * `X-Amz-Target`; query protocol from `Action`, in the URL or the form body (which is then read).
 * The body of a KMS mutation is read too, so its change event can name the key.
 */
export async function identifyCall(req: IncomingMessage, info: RequestInfo): Promise<IdentifiedCall> {
  const service = info.service;
  if (service === 's3')
    return { service, operation: s3Operation(info.method, info.bucket, info.key, info.query, req.headers) };
  if (service === 'dynamodb')
    return { service, operation: rpcOperation(req.headers, info.pathname, info.query, undefined) };
  const formBody = operationIsInBody(req.headers, info.query)
    ? await readBody(req, MAX_READ_BODY)
    : undefined;
  const operation = rpcOperation(req.headers, info.pathname, info.query, formBody);
  const body = formBody ?? (isMutating(service, operation) ? await readBody(req, MAX_READ_BODY) : undefined);
  return { service, operation, ...(body ? { body } : {}) };
}
