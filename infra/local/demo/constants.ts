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
