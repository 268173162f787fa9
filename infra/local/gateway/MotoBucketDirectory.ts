import type { IncomingMessage } from 'node:http';
import type { BucketDirectory } from '../s3Inventory/handleInventoryRequest.js';
import { type MotoTarget, motoRequest } from './motoRequest.js';
import { credentialScope } from './requestInfo.js';

/**
 * Asks moto about buckets, for the inventory subresource: HEAD for existence (as the caller, so moto
 * resolves the same account), and ListBuckets of one account (`x-moto-account-id`, filtered by
 * prefix) for ownership: moto keeps buckets per account, the account that created them.
 */
export class MotoBucketDirectory implements BucketDirectory {
  constructor(
    private readonly moto: MotoTarget,
    private readonly defaultRegion: string,
  ) {}

  async exists(bucket: string, req: IncomingMessage): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const scope = credentialScope(req.headers.authorization, url.searchParams);
    const account = req.headers['x-moto-account-id'];
    const reply = await motoRequest(this.moto, {
      method: 'HEAD',
      path: `/${encodeURIComponent(bucket)}`,
      service: 's3',
      region: this.defaultRegion,
      ...(scope ? { accessKeyId: scope.accessKeyId } : {}),
      headers: typeof account === 'string' ? { 'x-moto-account-id': account } : {},
    });
    if (reply.status === 200) return true;
    if (reply.status === 404) return false;
    throw new Error(`moto answered HEAD /${bucket} with ${reply.status}`);
  }

  async isOwnedBy(bucket: string, accountId: string): Promise<boolean> {
    const reply = await motoRequest(this.moto, {
      method: 'GET',
      path: `/?prefix=${encodeURIComponent(bucket)}`,
      service: 's3',
      region: this.defaultRegion,
      headers: { 'x-moto-account-id': accountId },
    });
    if (reply.status !== 200) throw new Error(`moto answered ListBuckets with ${reply.status}`);
    const names = [...reply.body.matchAll(/<Name>([^<]*)<\/Name>/g)].map((match) => match[1]);
    return names.includes(bucket);
  }
}
