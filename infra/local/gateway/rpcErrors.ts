import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeXml, newRequestIds } from './awsErrors.js';

/** What an RPC error reply says. */
export interface RpcErrorReply {
  status: number;
  code: string;
  message: string;
  /** Members of the error shape besides the message (JSON protocols), e.g. DynamoDB's `CancellationReasons`. */
  members?: Record<string, unknown>;
}

/**
 * How each JSON service names its error types in `__type`: DynamoDB and SQS with their Smithy
 * namespace (`com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException`), KMS bare.
 * The SDK takes what follows `#` either way.
 */
const jsonTypeNamespace: Record<string, string> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810',
  sqs: 'com.amazonaws.sqs',
};

/**
 * Sends a JSON protocol error (awsJson1_0: DynamoDB, SQS; awsJson1_1: KMS): `{"__type", "message"}`
 * with `x-amzn-errortype` and `x-amzn-requestid`. SDK v3 reads the code from `__type` (then the
 * header), so `err.name` is the code and its retry strategy sees throttling codes
 * (ThrottlingException, ProvisionedThroughputExceededException, RequestThrottled…) as throttling.
 * SQS is query-compatible: the SDK takes the code from `x-amzn-query-error: Code;Sender` first.
 */
export function sendJsonError(
  req: IncomingMessage,
  res: ServerResponse,
  service: string | undefined,
  reply: RpcErrorReply,
): void {
  const { requestId } = newRequestIds();
  const namespace = service === undefined ? undefined : jsonTypeNamespace[service];
  const body = JSON.stringify({
    __type: namespace ? `${namespace}#${reply.code}` : reply.code,
    message: reply.message,
    ...reply.members,
  });
  const contentType = String(req.headers['content-type'] ?? '');
  res.writeHead(reply.status, {
    'content-type': contentType.startsWith('application/x-amz-json-')
      ? contentType
      : 'application/x-amz-json-1.0',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': reply.code,
    ...(service === 'sqs'
      ? { 'x-amzn-query-error': `${reply.code};${reply.status >= 500 ? 'Receiver' : 'Sender'}` }
      : {}),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Sends a query protocol error (SNS, STS, form-encoded SQS): `<ErrorResponse><Error>…</Error></ErrorResponse>`. */
export function sendQueryError(res: ServerResponse, reply: RpcErrorReply): void {
  const { requestId } = newRequestIds();
  const type = reply.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(reply.code)}</Code>` +
    `<Message>${escapeXml(reply.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(reply.status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
