import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { newRequestIds } from '../gateway/awsErrors.js';
import type { IdentifiedCall } from '../gateway/identifyCall.js';
import type { RequestInfo } from '../gateway/requestInfo.js';
import type { Logger } from '../logger.js';
import type { CallerIdentities } from './CallerIdentities.js';
import type { ChangeEventBus } from './ChangeEventBus.js';
import { cloudTrailEvent } from './cloudTrailEvent.js';
import { ACTOR_HEADER, isMutating } from './constants.js';

/** What {@link recordChange} needs. */
export interface ChangeRecordDeps {
  identities: CallerIdentities;
  bus: ChangeEventBus;
  logger: Logger;
  /** For requests whose signature names no region (SigV2, SigV4a). */
  defaultRegion: string;
}

/** Publishes the call's change event; awaited before the successful reply is sent. */
export type PublishChange = (responseHeaders: IncomingHttpHeaders) => Promise<void>;

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function keyIdOf(body: Buffer | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const keyId = (JSON.parse(body.toString('utf8')) as { KeyId?: unknown }).KeyId;
    return typeof keyId === 'string' ? keyId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * For a mutating S3 or KMS call (events/constants.ts), starts resolving the caller's identity and
 * returns the function that publishes its CloudTrail-shaped event once the call succeeded; for any
 * other call, undefined. Failed calls publish nothing: the gateway calls it only on a 2xx.
 */
export function recordChange(
  req: IncomingMessage,
  info: RequestInfo,
  call: IdentifiedCall,
  deps: ChangeRecordDeps,
): PublishChange | undefined {
  const service = call.service;
  if ((service !== 's3' && service !== 'kms') || !isMutating(service, call.operation)) return undefined;
  const motoAccountId = header(req.headers, 'x-moto-account-id');
  const actorArn = header(req.headers, ACTOR_HEADER);
  const identity = deps.identities.resolve({
    accessKeyId: info.accessKeyId,
    ...(motoAccountId ? { motoAccountId } : {}),
    ...(actorArn ? { actorArn } : {}),
  });
  const time = new Date();
  const inventoryId = info.query.get('id') ?? undefined;
  const keyId = service === 'kms' ? keyIdOf(call.body) : undefined;
  return async function publishChange(responseHeaders) {
    const requestId =
      header(responseHeaders, 'x-amz-request-id') ??
      header(responseHeaders, 'x-amzn-requestid') ??
      newRequestIds().requestId;
    try {
      const event = cloudTrailEvent({
        service,
        operation: call.operation,
        region: info.region ?? deps.defaultRegion,
        identity: await identity,
        ...(service === 's3' && info.bucket !== undefined ? { bucket: info.bucket } : {}),
        ...(call.operation.includes('Inventory') && inventoryId ? { inventoryId } : {}),
        ...(keyId !== undefined ? { keyId } : {}),
        requestId,
        host: header(req.headers, 'host') ?? 'localhost',
        userAgent: header(req.headers, 'user-agent') ?? '',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        time,
      });
      deps.bus.publish(event);
    } catch (error) {
      deps.logger.error(`could not publish the change event of ${call.operation}: ${(error as Error).stack}`);
    }
  };
}
