import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

/** moto, as the gateway reaches it for its own questions. */
export interface MotoTarget {
  host: string;
  port: number;
  agent: Agent;
}

/** One request of the gateway's own to moto. */
export interface MotoRequest {
  method: string;
  path: string;
  /** SigV4 scope of the form-only signature (moto does not verify it, but reads key and region from it). */
  service: string;
  region: string;
  /** Whose call it is: moto maps the access key to an account (assumed-role keys to their role's). */
  accessKeyId?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** moto's answer. */
export interface MotoReply {
  status: number;
  body: string;
  /** moto's response headers (e.g. HeadBucket's `x-amz-bucket-region`). */
  headers: IncomingHttpHeaders;
}

/**
 * Sends a request to moto with a signature in form only, for the gateway's own questions (does the
 * bucket exist, who is this access key). Rejects only when moto cannot be reached.
 */
export function motoRequest(moto: MotoTarget, call: MotoRequest): Promise<MotoReply> {
  const credential = `${call.accessKeyId ?? 'local'}/20240101/${call.region}/${call.service}/aws4_request`;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: moto.host,
        port: moto.port,
        agent: moto.agent,
        method: call.method,
        path: call.path,
        headers: {
          ...call.headers,
          host: `${moto.host}:${moto.port}`,
          authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0`,
          ...(call.body !== undefined ? { 'content-length': String(Buffer.byteLength(call.body)) } : {}),
        },
      },
      (reply) => {
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () =>
          resolve({
            status: reply.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: reply.headers,
          }),
        );
        reply.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(call.body);
  });
}
