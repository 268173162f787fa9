import { type Agent, type IncomingMessage, request } from 'node:http';
import type { BucketDirectory } from '../s3Inventory/handleInventoryRequest.js';
import { credentialScope } from './requestInfo.js';

interface MotoReply {
  status: number;
  body: string;
}

/**
 * Asks moto about buckets, for the inventory subresource: HEAD for existence (as the caller, so moto
 * resolves the same account), and ListBuckets of one account (`x-moto-account-id`, filtered by
 * prefix) for ownership: moto keeps buckets per account, the account that created them.
 */
export class MotoBucketDirectory implements BucketDirectory {
  constructor(
    private readonly moto: { host: string; port: number; agent: Agent },
    private readonly defaultRegion: string,
  ) {}

  async exists(bucket: string, req: IncomingMessage): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const scope = credentialScope(req.headers.authorization, url.searchParams);
    const account = req.headers['x-moto-account-id'];
    const reply = await this.call('HEAD', `/${encodeURIComponent(bucket)}`, scope?.accessKeyId, {
      ...(typeof account === 'string' ? { 'x-moto-account-id': account } : {}),
    });
    if (reply.status === 200) return true;
    if (reply.status === 404) return false;
    throw new Error(`moto answered HEAD /${bucket} with ${reply.status}`);
  }

  async isOwnedBy(bucket: string, accountId: string): Promise<boolean> {
    const path = `/?prefix=${encodeURIComponent(bucket)}`;
    const reply = await this.call('GET', path, undefined, { 'x-moto-account-id': accountId });
    if (reply.status !== 200) throw new Error(`moto answered ListBuckets with ${reply.status}`);
    const names = [...reply.body.matchAll(/<Name>([^<]*)<\/Name>/g)].map((match) => match[1]);
    return names.includes(bucket);
  }

  private call(
    method: string,
    path: string,
    accessKeyId: string | undefined,
    headers: Record<string, string>,
  ): Promise<MotoReply> {
    const credential = `${accessKeyId ?? 'local'}/20240101/${this.defaultRegion}/s3/aws4_request`;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.moto.host,
          port: this.moto.port,
          agent: this.moto.agent,
          method,
          path,
          headers: {
            ...headers,
            host: `${this.moto.host}:${this.moto.port}`,
            authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0`,
          },
        },
        (reply) => {
          const chunks: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => chunks.push(chunk));
          reply.on('end', () =>
            resolve({ status: reply.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          reply.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
}
