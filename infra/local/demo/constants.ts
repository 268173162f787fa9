/** Names of the demo estate that `npm start` seeds (infra/local/demo/demo-inventory.yaml declares them). */
export const DEMO = {
  /** The main destination, in the sources' region. */
  destination: 's3ir-demo-reports',
  /** The second destination, in another region: every source delivering there needs a human. */
  farDestination: 's3ir-demo-reports-eu',
  farRegion: 'eu-west-1',
  /** `s3ir-demo-app-01` … : the buckets the `app-baseline` template selects by name. */
  appPrefix: 's3ir-demo-app-',
  apps: 30,
  /** Of the apps, how many are already in sync (report present, granted); the rest miss both. */
  appsInSync: 26,
  /** The drift-of-one-kind buckets declared one by one in the demo file. */
  changed: 's3ir-demo-changed',
  disabled: 's3ir-demo-disabled',
  pruned: 's3ir-demo-pruned',
  kept: 's3ir-demo-kept',
  encrypted: 's3ir-demo-encrypted',
  farAway: 's3ir-demo-far-away',
  ledger: 's3ir-demo-ledger',
  keyAlias: 'alias/s3ir-demo',
  /** The placeholder of the key ARN in the demo file. */
  keyPlaceholder: 'DEMO_KEY_ARN',
  /** Who the demo's desired state and hand-made drift are attributed to. */
  actor: 'npm-start-demo',
} as const;

/** `s3ir-demo-app-07` for 7. */
export function appBucket(index: number): string {
  return `${DEMO.appPrefix}${String(index).padStart(2, '0')}`;
}

/**
 * The organization part of the demo (#18 point 7): moto's organization, two OUs, three member accounts, and
 * buckets in two regions that the `org-us` / `org-eu` templates select by OU and tag. Member bucket names
 * are global in S3 (and in moto): they carry `org-` so they never meet the home account's names.
 */
export const ORG_DEMO = {
  units: { security: 'demo-security', apps: 'demo-apps' },
  /** Account name → its OU (key of `units`). moto picks the account ids. */
  members: { 'demo-audit': 'security', 'demo-web': 'apps', 'demo-api': 'apps' },
  /** The tag both templates select by (ANDed with the OUs and a region). */
  tag: { Key: 's3ir-inventory', Value: 'org' },
  /** Home-account destinations, one per region (S3 delivers only within a region). */
  destinations: { 'us-east-1': 's3ir-demo-org-reports', 'eu-west-1': 's3ir-demo-org-reports-eu' },
  /** Every member bucket: its account, region, and whether it carries the tag (untagged: never touched). */
  buckets: [
    { bucket: 's3ir-demo-org-audit-logs', member: 'demo-audit', region: 'us-east-1', tagged: true },
    { bucket: 's3ir-demo-org-audit-scratch', member: 'demo-audit', region: 'us-east-1', tagged: false },
    { bucket: 's3ir-demo-org-web-assets', member: 'demo-web', region: 'us-east-1', tagged: true },
    { bucket: 's3ir-demo-org-web-eu', member: 'demo-web', region: 'eu-west-1', tagged: true },
    { bucket: 's3ir-demo-org-api-data', member: 'demo-api', region: 'eu-west-1', tagged: true },
  ],
  /** The inventory Id both templates declare. */
  inventoryId: 'org-daily',
  /**
   * The role of a new member account that AWS Organizations creates for the management account
   * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html):
   * the demo seeds member accounts through it, as a platform team would.
   */
  setupRole: 'OrganizationAccountAccessRole',
  /** Member roles the service assumes (infra/member-account.yml; ClientFactory's defaults). */
  memberRoles: ['s3ir-reconcile', 's3ir-read'],
  /** The discovery queue (`S3IR_DISCOVERY_QUEUE_URL`) when the local AWS's env does not name one. */
  discoveryQueueName: 's3ir-discovery',
  /** Placeholders of the OU ids in the demo file (moto picks them). */
  unitPlaceholders: { security: 'DEMO_OU_SECURITY', apps: 'DEMO_OU_APPS' },
} as const;

/** A member account's name in the demo (`demo-web`). */
export type OrgDemoMember = keyof typeof ORG_DEMO.members;
