import { MOTO_DEFAULT_ACCOUNT_ID } from '../constants.js';
import { type MotoTarget, motoRequest } from '../gateway/motoRequest.js';
import type { CloudTrailUserIdentity } from './types.js';

/** Who a request says it is: its access key, moto's account header and the optional actor header. */
export interface CallerCredentials {
  accessKeyId: string | undefined;
  /** `x-moto-account-id`, when the caller set it. */
  motoAccountId?: string;
  /** `x-s3ir-actor`: a principal ARN that overrides what the access key maps to. */
  actorArn?: string;
}

const xmlValue = (xml: string, name: string) => xml.match(new RegExp(`<${name}>([^<]*)</${name}>`))?.[1];

/**
 * CloudTrail's `userIdentity` for a principal ARN: `arn:aws:sts::A:assumed-role/Role/Session` is an
 * AssumedRole with its role as session issuer; `…:user/Name` an IAMUser; `…:root` the Root.
 */
export function userIdentityFor(
  arn: string,
  accessKeyId: string,
  principalId?: string,
): CloudTrailUserIdentity {
  const [, partition = 'aws', , , accountId = MOTO_DEFAULT_ACCOUNT_ID, resource = ''] = arn.split(':');
  const assumed = resource.match(/^assumed-role\/([^/]+)\/(.+)$/);
  if (assumed) {
    const [, role = '', session = ''] = assumed;
    const roleId = principalId?.split(':')[0] ?? `AROA${accountId}`;
    return {
      type: 'AssumedRole',
      principalId: principalId ?? `${roleId}:${session}`,
      arn,
      accountId,
      accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: `arn:${partition}:iam::${accountId}:role/${role}`,
          accountId,
          userName: role,
        },
      },
    };
  }
  if (resource === 'root')
    return { type: 'Root', principalId: principalId ?? accountId, arn, accountId, accessKeyId };
  const userName =
    resource
      .replace(/^user\//, '')
      .split('/')
      .at(-1) ?? resource;
  return { type: 'IAMUser', principalId: principalId ?? accessKeyId, arn, accountId, accessKeyId, userName };
}

/**
 * Tells who made a call, for the `userIdentity` of change events. In this order:
 * 1. the `x-s3ir-actor` header, a principal ARN (`arn:aws:sts::123456789012:assumed-role/s3ir-reconcile/run-1`);
 * 2. what moto's STS GetCallerIdentity says of the access key: `arn:aws:sts::{account}:assumed-role/{role}/{session}`
 *    for keys from AssumeRole, `arn:aws:sts::123456789012:user/moto` for the dummy `test` key;
 * 3. if moto cannot say, `arn:aws:iam::{account}:user/local`.
 * Answers per access key are cached: an access key's identity never changes.
 */
export class CallerIdentities {
  private readonly cache = new Map<string, Promise<CloudTrailUserIdentity>>();

  constructor(
    private readonly moto: MotoTarget,
    private readonly region: string,
  ) {}

  resolve(caller: CallerCredentials): Promise<CloudTrailUserIdentity> {
    const accessKeyId = caller.accessKeyId ?? 'anonymous';
    if (caller.actorArn) return Promise.resolve(userIdentityFor(caller.actorArn, accessKeyId));
    const cacheKey = `${accessKeyId}|${caller.motoAccountId ?? ''}`;
    let identity = this.cache.get(cacheKey);
    if (!identity) {
      identity = this.ask(accessKeyId, caller.motoAccountId, () => this.cache.delete(cacheKey));
      this.cache.set(cacheKey, identity);
    }
    return identity;
  }

  /** Never rejects; a fallback answer is not cached (`forget`), so the next call asks moto again. */
  private async ask(
    accessKeyId: string,
    motoAccountId: string | undefined,
    forget: () => void,
  ): Promise<CloudTrailUserIdentity> {
    const fallback = () => {
      forget();
      const account = motoAccountId ?? MOTO_DEFAULT_ACCOUNT_ID;
      return userIdentityFor(`arn:aws:iam::${account}:user/local`, accessKeyId);
    };
    try {
      const reply = await motoRequest(this.moto, {
        method: 'POST',
        path: '/',
        service: 'sts',
        region: this.region,
        accessKeyId,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(motoAccountId ? { 'x-moto-account-id': motoAccountId } : {}),
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      const arn = xmlValue(reply.body, 'Arn');
      if (reply.status !== 200 || !arn) return fallback();
      return userIdentityFor(arn, accessKeyId, xmlValue(reply.body, 'UserId'));
    } catch {
      return fallback();
    }
  }
}
