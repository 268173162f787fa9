import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import type { BuildMiddleware } from '@aws-sdk/types';

/** moto's own credentials for our calls: it does not check signatures. */
const credentials = { accessKeyId: 'local-delivery', secretAccessKey: 'local-delivery' };

/** Makes every request act in `account` (moto reads `x-moto-account-id` before the access key). */
function motoAccountHeader<Input extends object, Output extends object>(
  account: string,
): BuildMiddleware<Input, Output> {
  return (next) =>
    async function motoAccountHeader(args) {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    };
}

const accountHeaderStep = { step: 'build', name: 'motoAccountHeader' } as const;

/**
 * SDK clients that talk to moto directly, bypassing the gateway (so the simulation is neither
 * counted, nor faulted, nor turned into change events), each acting in one account: report delivery
 * reads and writes as the bucket or key owner would see it. Cached by account and region.
 */
export class MotoClients {
  private readonly s3Clients = new Map<string, S3Client>();
  private readonly kmsClients = new Map<string, KMSClient>();

  constructor(
    private readonly endpoint: string,
    private readonly region: string,
  ) {}

  s3(account: string): S3Client {
    let client = this.s3Clients.get(account);
    if (!client) {
      const config = { endpoint: this.endpoint, region: this.region, credentials, forcePathStyle: true };
      client = new S3Client({ ...config, maxAttempts: 2 });
      client.middlewareStack.add(motoAccountHeader(account), accountHeaderStep);
      this.s3Clients.set(account, client);
    }
    return client;
  }

  kms(account: string, region: string): KMSClient {
    const cacheKey = `${account}/${region}`;
    let client = this.kmsClients.get(cacheKey);
    if (!client) {
      client = new KMSClient({ endpoint: this.endpoint, region, credentials, maxAttempts: 2 });
      client.middlewareStack.add(motoAccountHeader(account), accountHeaderStep);
      this.kmsClients.set(cacheKey, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of [...this.s3Clients.values(), ...this.kmsClients.values()]) client.destroy();
    this.s3Clients.clear();
    this.kmsClients.clear();
  }
}
