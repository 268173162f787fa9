import type { ClientFactory } from './ClientFactory.js';

/**
 * The ARN of the principal whose credentials the process holds (STS GetCallerIdentity), e.g. for
 * `appliedBy` and the audit actor of a CLI run. `undefined` when STS does not answer: who acted is
 * worth recording, not worth failing for.
 */
export async function callerArn(factory: Pick<ClientFactory, 'callerIdentity'>): Promise<string | undefined> {
  try {
    const identity = await factory.callerIdentity();
    return identity.Arn || undefined;
  } catch {
    return undefined;
  }
}
