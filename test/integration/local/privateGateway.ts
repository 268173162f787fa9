import { Gateway, type GatewayOptions } from '../../../infra/local/gateway.js';
import { createLogger } from '../../../infra/local/logger.js';
import { localAws, region } from './localAwsClients.js';

const hostAndPort = (endpoint: string) => {
  const url = new URL(endpoint);
  return { host: url.hostname, port: Number(url.port) };
};

/**
 * A second gateway of this test's own, in-process, over the shared moto and DynamoDB Local: for what
 * must not touch the shared gateway (clearing every fault rule) or needs its in-process API
 * (`events.subscribe`, a webhook, a tiny event buffer). Undefined when the global setup reuses a
 * running local AWS, whose backends it does not know.
 */
export async function privateGateway(options: Partial<GatewayOptions> = {}): Promise<Gateway | undefined> {
  const { motoEndpoint, dynamodbEndpoint } = localAws();
  if (!motoEndpoint || !dynamodbEndpoint) return undefined;
  const gateway = await Gateway.listen({ region, logger: createLogger('test-gateway', 'error'), ...options });
  gateway.connect({ moto: hostAndPort(motoEndpoint), dynamodb: hostAndPort(dynamodbEndpoint) });
  return gateway;
}
