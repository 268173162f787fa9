import type { IncomingMessage, ServerResponse } from 'node:http';
import { newRequestIds, sendS3Error } from '../gateway/awsErrors.js';
import { expectedOwner } from '../gateway/bucketOwnerCondition.js';
import { BodyTooLargeError, readBody } from '../gateway/readBody.js';
import type { RequestInfo } from '../gateway/requestInfo.js';
import { INVENTORY_LIMITS } from './constants.js';
import { InventoryRequestError, inventoryErrors } from './errors.js';
import type { InventoryStore } from './InventoryStore.js';
import type { StoredInventoryConfiguration } from './types.js';
import { checkDestinationArn, toConfiguration } from './validate.js';
import { getResultXml, listResultXml, parseXmlDocument } from './xmlCodec.js';

/** What the inventory subresource needs to know about buckets, answered by moto. */
export interface BucketDirectory {
  /** Whether the bucket exists, asked with the caller's own headers. */
  exists(bucket: string, req: IncomingMessage): Promise<boolean>;
  /** Whether the bucket belongs to that account. */
  isOwnedBy(bucket: string, accountId: string): Promise<boolean>;
}

/** Dependencies of {@link handleInventoryRequest}. */
export interface InventoryDeps {
  store: InventoryStore;
  buckets: BucketDirectory;
  /** Awaited after a successful put or delete, before the 204 is sent (the gateway's change event). */
  onChange?: (responseHeaders: Record<string, string>) => Promise<void>;
}

function send(res: ServerResponse, status: number, body?: string, ids = newRequestIds()): void {
  const { requestId, hostId } = ids;
  res.writeHead(status, {
    'x-amz-request-id': requestId,
    'x-amz-id-2': hostId,
    ...(body === undefined
      ? {}
      : { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }),
  });
  res.end(body);
}

async function parsePut(req: IncomingMessage, id: string | null): Promise<StoredInventoryConfiguration> {
  const body = await readBody(req, INVENTORY_LIMITS.maxBodyBytes).catch((error: unknown) => {
    throw error instanceof BodyTooLargeError ? inventoryErrors.bodyTooLarge() : error;
  });
  const configuration = toConfiguration(parseXmlDocument(body.toString('utf8'), 'InventoryConfiguration'));
  if (id === null) throw inventoryErrors.missingId();
  if (configuration.Id !== id) throw inventoryErrors.idMismatch();
  checkDestinationArn(configuration.Destination.S3BucketDestination.Bucket);
  return configuration;
}

async function checkBucket(req: IncomingMessage, bucket: string, deps: InventoryDeps): Promise<void> {
  // The bucket owner condition, as gateway/bucketOwnerCondition.ts enforces it on every other S3 call.
  const owner = expectedOwner(req);
  if (owner === 'malformed') throw inventoryErrors.invalidBucketOwner();
  if (!(await deps.buckets.exists(bucket, req))) {
    deps.store.forget(bucket);
    throw inventoryErrors.noSuchBucket(bucket);
  }
  if (owner !== undefined && !(await deps.buckets.isOwnedBy(bucket, owner))) {
    throw inventoryErrors.accessDenied();
  }
}

/** The 204 of a put or delete, after the change hook (so its event is out before the caller hears back). */
async function sendChanged(res: ServerResponse, deps: InventoryDeps): Promise<void> {
  const ids = newRequestIds();
  await deps.onChange?.({ 'x-amz-request-id': ids.requestId });
  send(res, 204, undefined, ids);
}

async function respond(req: IncomingMessage, res: ServerResponse, info: RequestInfo, deps: InventoryDeps) {
  const bucket = info.bucket!;
  const id = info.query.get('id');
  if (!['GET', 'PUT', 'DELETE'].includes(info.method)) throw inventoryErrors.methodNotAllowed();
  await checkBucket(req, bucket, deps);
  if (info.method === 'PUT') {
    deps.store.put(bucket, await parsePut(req, id));
    return sendChanged(res, deps);
  }
  if (info.method === 'DELETE') {
    if (id === null) throw inventoryErrors.missingId();
    if (!deps.store.delete(bucket, id)) throw inventoryErrors.noSuchConfiguration();
    return sendChanged(res, deps);
  }
  if (id === null) {
    const token = info.query.get('continuation-token') ?? undefined;
    return send(res, 200, listResultXml(deps.store.list(bucket, token)));
  }
  const configuration = deps.store.get(bucket, id);
  if (!configuration) throw inventoryErrors.noSuchConfiguration();
  return send(res, 200, getResultXml(configuration));
}

/**
 * The S3 inventory subresource (`/{bucket}?inventory[&id=…]`), faithful to docs/aws-facts.md §1: put (upsert,
 * 204), get, delete (204; the bucket stays), list (by Id, 100 a page), and every error of its table.
 * `x-id` is ignored; get and list differ by the presence of `id`.
 */
export async function handleInventoryRequest(
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  deps: InventoryDeps,
): Promise<void> {
  try {
    await respond(req, res, info, deps);
  } catch (error) {
    if (!(error instanceof InventoryRequestError)) throw error;
    // Drain what is left of the body, so the connection can be reused.
    req.resume();
    sendS3Error(res, info.method, {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    });
  }
}
