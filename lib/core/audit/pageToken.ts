import { isRecord } from '../json/isRecord.js';
import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './chainHash.js';
import { InvalidPageTokenError } from './errors.js';
import type { AuditQuery } from './types.js';

/** Where the next page of a query starts. */
export interface PageState {
  /** The day (YYYY-MM-DD) being read, for queries read day by day. */
  day?: string;
  /** DynamoDB's LastEvaluatedKey of the index being read. */
  key?: Record<string, string>;
  /** The last event handed out (`timeKey`, `bucket`), for queries answered by a sorted Scan. */
  after?: [timeKey: string, bucket: string];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a token is bound to: the query's filters. A token is only good for the query that handed it
 * out (another query's LastEvaluatedKey would silently skip or repeat events).
 */
export function queryFingerprint(query: AuditQuery): string {
  const { bucket, runId, action, since, until } = query;
  return sha256Hex(canonicalJson({ bucket, runId, action, since, until })).slice(0, 16);
}

/** The opaque, URL-safe `next` token: base64url of `{ v: 1, q: fingerprint, ...state }`. */
export function encodePageToken(query: AuditQuery, state: PageState): string {
  return Buffer.from(JSON.stringify({ v: 1, q: queryFingerprint(query), ...state })).toString('base64url');
}

/**
 * The state a token holds.
 * @throws InvalidPageTokenError when it is not one of ours, or was handed out for another query
 */
export function decodePageToken(query: AuditQuery, token: string): PageState {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidPageTokenError('not base64url');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidPageTokenError('not a token this service handed out', { cause: error });
  }
  if (!isRecord(decoded) || decoded.v !== 1)
    throw new InvalidPageTokenError('not a token this service handed out');
  if (decoded.q !== queryFingerprint(query))
    throw new InvalidPageTokenError('it was handed out for another query (other filters)');
  const state: PageState = {};
  if (decoded.day !== undefined) {
    if (typeof decoded.day !== 'string' || !DAY.test(decoded.day)) throw new InvalidPageTokenError('bad day');
    state.day = decoded.day;
  }
  if (decoded.key !== undefined) {
    const key = decoded.key;
    if (
      !isRecord(key) ||
      Object.keys(key).length === 0 ||
      !Object.values(key).every((v) => typeof v === 'string')
    )
      throw new InvalidPageTokenError('bad key');
    state.key = key as Record<string, string>;
  }
  if (decoded.after !== undefined) {
    const after = decoded.after;
    if (!Array.isArray(after) || after.length !== 2 || !after.every((v) => typeof v === 'string'))
      throw new InvalidPageTokenError('bad position');
    state.after = after as [string, string];
  }
  return state;
}
