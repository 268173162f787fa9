import type { IncomingMessage } from 'node:http';

/** What the gateway needs to know about a request before routing it. */
export interface RequestInfo {
  method: string;
  /** Path as sent, without the query. */
  pathname: string;
  query: URLSearchParams;
  /** Service of the SigV4 credential scope (`s3`, `dynamodb`, `sns`…); undefined when unsigned. */
  service: string | undefined;
  region: string | undefined;
  accessKeyId: string | undefined;
  /** For S3: the bucket (path style, or virtual-host style on `*.localhost`) and the object key. */
  bucket: string | undefined;
  key: string | undefined;
}

interface CredentialScope {
  accessKeyId: string;
  region: string | undefined;
  service: string;
}

/**
 * Reads `AKID/date/region/service/aws4_request` (SigV4) or `AKID/date/service/aws4_request` (SigV4a)
 * from the Authorization header, or from `X-Amz-Credential` of a presigned URL.
 */
export function credentialScope(
  authorization: string | undefined,
  query: URLSearchParams,
): CredentialScope | undefined {
  const fromHeader = authorization?.match(/Credential=([^,\s]+)/)?.[1];
  const credential = fromHeader ?? query.get('X-Amz-Credential') ?? undefined;
  if (credential) {
    const parts = credential.split('/');
    if (parts.length === 5) return { accessKeyId: parts[0]!, region: parts[2], service: parts[3]! };
    if (parts.length === 4) return { accessKeyId: parts[0]!, region: undefined, service: parts[2]! };
    return undefined;
  }
  // Signature version 2 (`AWS AKID:signature`) survives only in S3.
  const v2 = authorization?.match(/^AWS ([^:]+):/)?.[1] ?? query.get('AWSAccessKeyId') ?? undefined;
  return v2 ? { accessKeyId: v2, region: undefined, service: 's3' } : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function bucketAndKey(host: string | undefined, pathname: string): { bucket?: string; key?: string } {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const virtual = hostname.match(/^(.+)\.localhost$/)?.[1];
  const path = pathname.replace(/^\//, '');
  if (virtual) return { bucket: virtual, key: path ? safeDecode(path) : undefined };
  if (!path) return {};
  const slash = path.indexOf('/');
  if (slash === -1) return { bucket: safeDecode(path) };
  const key = path.slice(slash + 1);
  return { bucket: safeDecode(path.slice(0, slash)), key: key ? safeDecode(key) : undefined };
}

/** Parses the routing facts of a request (no body is read). */
export function requestInfo(req: IncomingMessage): RequestInfo {
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const scope = credentialScope(req.headers.authorization, url.searchParams);
  const service = scope?.service.toLowerCase();
  const s3 = service === 's3' ? bucketAndKey(req.headers.host, url.pathname) : {};
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    pathname: url.pathname,
    query: url.searchParams,
    service,
    region: scope?.region,
    accessKeyId: scope?.accessKeyId,
    bucket: s3.bucket,
    key: s3.key,
  };
}
