import { inject } from 'vitest';
import { ClientFactory, type ClientFactoryOptions } from '../../../lib/adapters/aws/ClientFactory.js';

/** moto's account for credentials it does not know (the `test` keys): the home account here. */
export const LOCAL_HOME_ACCOUNT = '123456789012';
/** Another account, reached through AssumeRole (moto keeps accounts apart by the assumed role's account). */
export const LOCAL_OTHER_ACCOUNT = '222233334444';
export const LOCAL_REGION = 'us-east-1';

/** The local AWS the global setup started (test/globalSetup/localAws.ts). */
export function localEndpoint(): string {
  const local = inject('localAws');
  if (!local) throw new Error('no local AWS: run integration tests through vitest with the global setup');
  return local.endpoint;
}

/** The accounts the local tests' factories may reach besides home (`S3IR_ALLOWED_ACCOUNTS`). */
export const LOCAL_REACHABLE_ACCOUNTS = [LOCAL_OTHER_ACCOUNT];

/** A ClientFactory pointed at the local AWS with the dummy `test` credentials; the other account allowed. */
export function localFactory(options: ClientFactoryOptions = {}): ClientFactory {
  return new ClientFactory({
    endpoint: localEndpoint(),
    region: LOCAL_REGION,
    credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    env: {},
    maxAttempts: 3,
    allowedAccounts: LOCAL_REACHABLE_ACCOUNTS,
    ...options,
  });
}

// One way to name buckets and bound concurrency in integration tests.
export { inBatches, uniqueBucket } from '../local/localAwsClients.js';
