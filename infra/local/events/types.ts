/**
 * Who made a call, as CloudTrail's `userIdentity` says it. `sessionContext.sessionIssuer.arn` is the
 * role ARN for assumed roles: what the event-driven path compares with its own role.
 */
export interface CloudTrailUserIdentity {
  type: 'AssumedRole' | 'IAMUser' | 'Root' | 'AWSAccount';
  principalId: string;
  arn: string;
  accountId: string;
  accessKeyId: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
  };
}

/** The `detail` of an "AWS API Call via CloudTrail" event (the fields the reconciler reads and a few more). */
export interface CloudTrailDetail {
  eventVersion: string;
  userIdentity: CloudTrailUserIdentity;
  eventTime: string;
  eventSource: 's3.amazonaws.com' | 'kms.amazonaws.com';
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: {
    bucketName?: string;
    /** CloudTrail's name for the inventory configuration Id. */
    id?: string;
    /** The same Id under a self-explaining name (local only; real CloudTrail has just `id`). */
    inventoryId?: string;
    keyId?: string;
    Host?: string;
  };
  responseElements: null;
  requestID: string;
  eventID: string;
  readOnly: false;
  resources?: Array<{ accountId: string; type: string; ARN: string }>;
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

/** An EventBridge event for a CloudTrail-recorded API call (what an EventBridge rule hands a Lambda). */
export interface CloudTrailApiCallEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail';
  source: 'aws.s3' | 'aws.kms';
  account: string;
  time: string;
  region: string;
  resources: [];
  detail: CloudTrailDetail;
}

/** Called for every change event, in order; errors it throws are logged and do not reach the caller. */
export type ChangeEventListener = (event: CloudTrailApiCallEvent) => void;

/** A page of `GET /_local/events?since=<id>`. */
export interface ChangeEventPage {
  events: CloudTrailApiCallEvent[];
  /** Id of the newest event returned (or `since` when nothing is newer); pass it as `since` next time. */
  lastId: string | null;
  /** True when `since` is no longer (or never was) in the buffer: events may have been missed. */
  gap: boolean;
}
