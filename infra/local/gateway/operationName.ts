import type { IncomingHttpHeaders } from 'node:http';

/**
 * True when the operation of a non-S3 request is only in its form body (query protocol: SNS, STS,
 * older SQS), so the gateway must read the body before it can count the call.
 */
export function operationIsInBody(headers: IncomingHttpHeaders, query: URLSearchParams): boolean {
  if (headers['x-amz-target'] || query.has('Action')) return false;
  return String(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}

/**
 * The operation of a JSON (`X-Amz-Target: DynamoDB_20120810.PutItem`), RPC v2 (`/service/S/operation/Op`)
 * or query protocol (`Action=Publish`, in the URL or the form body) request.
 */
export function rpcOperation(
  headers: IncomingHttpHeaders,
  pathname: string,
  query: URLSearchParams,
  body: Buffer | undefined,
): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target) return target.slice(target.lastIndexOf('.') + 1);
  const rpcV2 = pathname.match(/\/service\/[^/]+\/operation\/([^/?]+)$/)?.[1];
  if (rpcV2) return rpcV2;
  const action =
    query.get('Action') ?? (body ? new URLSearchParams(body.toString('utf8')).get('Action') : null);
  return action ?? 'Unknown';
}
