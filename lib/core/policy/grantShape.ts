import { isRecord } from '../json/isRecord.js';
import { S3_SERVICE_PRINCIPAL } from './constants.js';
import { toArray } from './policyValues.js';
import type { GrantTarget } from './types.js';

/** What each target's statement of ours may hold: exactly what `requiredStatement` and `ensureDelivery` write. */
const GRANT_SHAPES = {
  'destination-policy': {
    action: 's3:PutObject',
    stringEquals: ['aws:SourceAccount', 's3:x-amz-acl'],
  },
  'key-policy': {
    action: 'kms:GenerateDataKey',
    stringEquals: ['aws:SourceAccount'],
  },
} as const satisfies Record<GrantTarget, { action: string; stringEquals: readonly string[] }>;

const MEMBERS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);

/** The only ACL S3 Inventory writes with, and the one our destination statement requires. */
const OWNER_FULL_CONTROL = 'bucket-owner-full-control';

/** `arn:aws:s3:::bucket`, `arn:aws-cn:s3:::bucket`…: a partition is `aws` and dash-separated lowercase words. */
const PARTITION = 'aws(?:-[a-z]+)*';

/**
 * A whole bucket ARN naming one bucket, no wildcard and no policy variable: the S3 bucket name characters
 * (legacy us-east-1 names allow upper case and underscores too).
 */
const SOURCE_ARN = new RegExp(`^arn:${PARTITION}:s3:::([A-Za-z0-9._-]+)$`);

/** `arn:{partition}:s3:::*`: the account-keyed pattern, every bucket of the accounts `aws:SourceAccount` names. */
const ANY_SOURCE_ARN = new RegExp(`^arn:${PARTITION}:s3:::\\*$`);

const ACCOUNT_ID = /^\d{12}$/;

/** The values our statement's conditions name: which source buckets and accounts it lets S3 deliver for. */
export interface GrantSources {
  sourceArns: string[];
  sourceAccounts: string[];
}

/**
 * Why a statement with our Sid is not exactly what this service writes for `target`, or `undefined` when it
 * is: Allow; the `s3.amazonaws.com` service alone; the target's one action; our conditions only
 * (`ArnLike` `aws:SourceArn` the account-keyed pattern `arn:…:s3:::*` alone or, as earlier versions wrote, whole
 * bucket ARNs, `StringEquals` 12-digit `aws:SourceAccount`s and, for a
 * destination, `s3:x-amz-acl` = `bucket-owner-full-control`), each present; resources inside the
 * destination bucket `name`, or `*` for a key. Anything else would grant more than delivery.
 * @example grantShapeProblem(statement, 'destination-policy', 'reports') // 'its Principal is "*"…'
 */
export function grantShapeProblem(statement: unknown, target: GrantTarget, name: string): string | undefined {
  if (!isRecord(statement)) return 'it is not an object';
  const shape = GRANT_SHAPES[target];
  const extra = Object.keys(statement).find((member) => !MEMBERS.has(member));
  if (extra !== undefined) return `it has a ${extra} member`;
  if (statement.Effect !== 'Allow') return `its Effect is ${show(statement.Effect)}, not "Allow"`;
  const principal = statement.Principal;
  if (
    !isRecord(principal) ||
    Object.keys(principal).join() !== 'Service' ||
    !onlyValue(principal.Service, S3_SERVICE_PRINCIPAL)
  ) {
    return `its Principal is ${show(principal)}, not the ${S3_SERVICE_PRINCIPAL} service alone`;
  }
  if (!onlyValue(statement.Action, shape.action)) {
    return `its Action is ${show(statement.Action)}, not "${shape.action}" alone`;
  }
  const resource = resourceProblem(statement.Resource, target, name);
  if (resource !== undefined) return resource;
  return conditionProblem(statement.Condition, shape.stringEquals);
}

/** The source ARNs and accounts a well-shaped statement of ours names (call after `grantShapeProblem`). */
export function grantSources(statement: Record<string, unknown>): GrantSources {
  const condition = statement.Condition as Record<string, Record<string, unknown>>;
  return {
    sourceArns: toArray(condition.ArnLike?.['aws:SourceArn']).map(String),
    sourceAccounts: toArray(condition.StringEquals?.['aws:SourceAccount']).map(String),
  };
}

/** Whether a value is the account-keyed `aws:SourceArn` pattern `arn:{partition}:s3:::*`. */
export function isAnySourceArn(value: unknown): boolean {
  return typeof value === 'string' && ANY_SOURCE_ARN.test(value);
}

/** The bucket a whole source bucket ARN names. */
export function sourceArnBucket(arn: string): string | undefined {
  return SOURCE_ARN.exec(arn)?.[1];
}

function resourceProblem(resource: unknown, target: GrantTarget, name: string): string | undefined {
  const list = toArray(resource);
  if (target === 'key-policy') {
    // In a key policy, `*` is the key itself (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html).
    return list.length > 0 && list.every((value) => value === '*')
      ? undefined
      : `its Resource is ${show(resource)}, not "*"`;
  }
  const inside = new RegExp(`^arn:${PARTITION}:s3:::${escapeRegExp(name)}/.`);
  const outside = list.find((value) => typeof value !== 'string' || !inside.test(value));
  if (list.length === 0 || outside !== undefined) {
    return `its Resource ${show(outside ?? resource)} is not inside the destination bucket ${name}`;
  }
  return undefined;
}

function conditionProblem(condition: unknown, stringEquals: readonly string[]): string | undefined {
  if (!isRecord(condition)) return `its Condition is ${show(condition)}, not the source conditions`;
  const operator = Object.keys(condition).find((key) => key !== 'ArnLike' && key !== 'StringEquals');
  if (operator !== undefined) return `its Condition has a ${operator} block`;
  const arnLike = blockProblem(condition.ArnLike, 'ArnLike', ['aws:SourceArn']);
  if (arnLike !== undefined) return arnLike;
  const equals = blockProblem(condition.StringEquals, 'StringEquals', stringEquals);
  if (equals !== undefined) return equals;
  const block = condition as Record<string, Record<string, unknown>>;
  const arns = toArray(block.ArnLike!['aws:SourceArn']);
  const accountKeyed = arns.length === 1 && isAnySourceArn(arns[0]);
  const badArn = arns.find((value) => typeof value !== 'string' || sourceArnBucket(value) === undefined);
  if (!accountKeyed && (arns.length === 0 || badArn !== undefined)) {
    return `its aws:SourceArn ${show(badArn ?? arns)} is neither "arn:…:s3:::*" alone nor a list of whole S3 bucket ARNs`;
  }
  const accounts = toArray(block.StringEquals!['aws:SourceAccount']);
  const badAccount = accounts.find((value) => typeof value !== 'string' || !ACCOUNT_ID.test(value));
  if (accounts.length === 0 || badAccount !== undefined) {
    return `its aws:SourceAccount ${show(badAccount ?? accounts)} is not a list of account ids`;
  }
  const acl = block.StringEquals!['s3:x-amz-acl'];
  if (stringEquals.includes('s3:x-amz-acl') && !onlyValue(acl, OWNER_FULL_CONTROL)) {
    return `its s3:x-amz-acl is ${show(acl)}, not "${OWNER_FULL_CONTROL}"`;
  }
  return undefined;
}

/** A condition block with exactly these keys (condition keys as this service spells them). */
function blockProblem(block: unknown, operator: string, keys: readonly string[]): string | undefined {
  if (!isRecord(block)) return `its Condition has no ${operator} block`;
  const present = Object.keys(block);
  const extra = present.find((key) => !keys.includes(key));
  if (extra !== undefined) return `its ${operator} condition has a ${extra} key`;
  const missing = keys.find((key) => !present.includes(key));
  if (missing !== undefined) return `its ${operator} condition has no ${missing} key`;
  return undefined;
}

/** A scalar or a non-empty list whose every element is `expected`. */
function onlyValue(value: unknown, expected: string): boolean {
  const list = toArray(value);
  return list.length > 0 && list.every((item) => item === expected);
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
