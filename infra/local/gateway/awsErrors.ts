import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJsonError, sendQueryError } from './rpcErrors.js';

/** `x-amz-request-id` (16 upper-case hex digits) and `x-amz-id-2` (base64), as S3 sends them. */
export function newRequestIds(): { requestId: string; hostId: string } {
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(48).toString('base64'),
  };
}

const xmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** Escapes text for XML content (a carriage return too, which a parser would otherwise normalise away). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => xmlEntities[c]!);
}

/** Fields of an S3 error reply. */
export interface S3ErrorReply {
  status: number;
  code: string;
  message: string;
  /** Extra elements after Message, e.g. `{ BucketName: 'b' }` for NoSuchBucket. */
  details?: Record<string, string>;
}

/**
 * Sends an S3 REST error: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with the request
 * id headers (docs/aws-facts.md §1). HEAD replies carry no body, as S3's do.
 */
export function sendS3Error(res: ServerResponse, method: string, reply: S3ErrorReply): void {
  const { requestId, hostId } = newRequestIds();
  const details = Object.entries(reply.details ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(reply.code)}</Code><Message>${escapeXml(reply.message)}</Message>${details}` +
    `<RequestId>${requestId}</RequestId><HostId>${escapeXml(hostId)}</HostId></Error>`;
  res.writeHead(reply.status, {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    'x-amz-id-2': hostId,
    ...(method === 'HEAD' ? {} : { 'content-length': Buffer.byteLength(body) }),
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/**
 * Sends an error in the protocol of the request: S3 XML, JSON (`X-Amz-Target`: DynamoDB, KMS, SQS)
 * or query XML (SNS, STS). Used for gateway-level errors (starting, backend unreachable, a bug) and
 * for injected faults.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  service: string | undefined,
  status: number,
  code: string,
  message: string,
): void {
  if (service === 's3') sendS3Error(res, req.method ?? 'GET', { status, code, message });
  else if (req.headers['x-amz-target'] !== undefined)
    sendJsonError(req, res, service, { status, code, message });
  else sendQueryError(res, { status, code, message });
}
