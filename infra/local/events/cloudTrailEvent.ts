import { randomUUID } from 'node:crypto';
import { CLOUDTRAIL_EVENT_VERSION } from './constants.js';
import type { CloudTrailApiCallEvent, CloudTrailDetail, CloudTrailUserIdentity } from './types.js';

/** What the gateway knows about a successful mutating call. */
export interface MutatingCall {
  service: 's3' | 'kms';
  operation: string;
  region: string;
  identity: CloudTrailUserIdentity;
  /** S3: the bucket; inventory calls also the configuration Id. */
  bucket?: string;
  inventoryId?: string;
  /** KMS: `KeyId` as the request gave it (id, ARN or alias). */
  keyId?: string;
  requestId: string;
  host: string;
  userAgent: string;
  sourceIp: string;
  time: Date;
}

/** EventBridge writes times without fractions: `2024-05-01T12:00:00Z`. */
const eventBridgeTime = (time: Date) => `${time.toISOString().slice(0, 19)}Z`;

function keyResource(call: MutatingCall): CloudTrailDetail['resources'] {
  const keyId = call.keyId;
  if (!keyId || keyId.startsWith('alias/') || keyId.includes(':alias/')) return undefined;
  const arn = keyId.startsWith('arn:')
    ? keyId
    : `arn:aws:kms:${call.region}:${call.identity.accountId}:key/${keyId}`;
  return [{ accountId: arn.split(':')[4] ?? call.identity.accountId, type: 'AWS::KMS::Key', ARN: arn }];
}

function requestParameters(call: MutatingCall): CloudTrailDetail['requestParameters'] {
  if (call.service === 'kms') return call.keyId === undefined ? {} : { keyId: call.keyId };
  return {
    ...(call.bucket !== undefined ? { bucketName: call.bucket } : {}),
    ...(call.inventoryId !== undefined ? { id: call.inventoryId, inventoryId: call.inventoryId } : {}),
    Host: call.host,
  };
}

/**
 * The event EventBridge delivers for a CloudTrail-recorded management call ("AWS API Call via
 * CloudTrail"), for one successful S3 or KMS mutation. The event's account is the caller's (for the
 * usual same-account call also the resource owner's, who receives the event in real AWS).
 */
export function cloudTrailEvent(call: MutatingCall): CloudTrailApiCallEvent {
  const time = eventBridgeTime(call.time);
  const account = call.identity.accountId;
  const resources = call.service === 'kms' ? keyResource(call) : undefined;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: call.service === 's3' ? 'aws.s3' : 'aws.kms',
    account,
    time,
    region: call.region,
    resources: [],
    detail: {
      eventVersion: CLOUDTRAIL_EVENT_VERSION,
      userIdentity: call.identity,
      eventTime: time,
      eventSource: call.service === 's3' ? 's3.amazonaws.com' : 'kms.amazonaws.com',
      eventName: call.operation,
      awsRegion: call.region,
      sourceIPAddress: call.sourceIp,
      userAgent: call.userAgent,
      requestParameters: requestParameters(call),
      responseElements: null,
      requestID: call.requestId,
      eventID: randomUUID(),
      readOnly: false,
      ...(resources ? { resources } : {}),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}
