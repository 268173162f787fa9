/** The npm package that ships AWS's DynamoDB Local jar under `package/emulator/` (DESIGN.md, Local AWS). */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';

/** The registry's integrity of that package's tarball: what `npm pack` fetched must hash to this. */
export const DYNAMODB_LOCAL_TARBALL_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';

/**
 * Content of the package's `emulator/sha256`: the SHA-256 of AWS's `dynamodb_local_latest.tar.gz`
 * the package was built from (one hash, not a per-file list), so it names the DynamoDB Local release.
 */
export const DYNAMODB_LOCAL_UPSTREAM_SHA256 =
  '55b425a9a42cfc728436eaf0e4ae64d688b64d177c99c4f4c4d7e3dbb3ac6c09';

/** moto's account for credentials it does not know (moto/core/models.py DEFAULT_ACCOUNT_ID). */
export const MOTO_DEFAULT_ACCOUNT_ID = '123456789012';

/** The second account the local AWS's users reach through AssumeRole (tests, cross-account examples). */
export const LOCAL_OTHER_ACCOUNT_ID = '222233334444';

/**
 * The accounts the local AWS uses, written as `S3IR_ALLOWED_ACCOUNTS` into its env: moto's default (the
 * home account) and the second one. Any other account is outside the boundary, as in a deployment.
 */
export const LOCAL_ALLOWED_ACCOUNTS = [MOTO_DEFAULT_ACCOUNT_ID, LOCAL_OTHER_ACCOUNT_ID] as const;

/** Defaults of the local AWS (DESIGN.md, Contract: environment). */
export const LOCAL_DEFAULTS = {
  region: 'us-east-1',
  accessKeyId: 'test',
  secretAccessKey: 'test',
  desiredTable: 's3ir-desired-state',
  stateTable: 's3ir-state',
  auditTable: 's3ir-audit',
  alertTopicName: 's3ir-alerts',
  /** The reconcile queue (`S3IR_QUEUE_URL`) when serverless.yml's provider.environment does not name it. */
  reconcileQueueName: 's3ir-reconcile',
  /** The stage whose `params` section `${param:…}` reads first. */
  stage: 'local',
} as const;

/** How long a child service may take to answer on a loaded 2-core machine. */
export const START_TIMEOUT_MS = { moto: 60_000, dynamodbLocal: 90_000 } as const;
