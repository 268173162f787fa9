import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetBucketPolicyCommand, ListBucketInventoryConfigurationsCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../lib/core/audit/canonicalJson.js';
import type { FaultRow } from './faultRows.js';
import { ACCOUNT, type FaultWorld, FOREIGN_SID } from './faultWorld.js';

/** An alert as the topic's SQS subscriber receives it. */
export interface ReceivedAlert {
  type: string;
  bucket: string;
  runId: string;
  summary: string;
}

/** What one row did and which invariants it broke (none: the row holds). */
export interface RowResult {
  row: FaultRow;
  /** Errors the gateway injected. */
  injected: number;
  /** Sweeps after the fault cleared until every bucket was in sync (at most 2 are allowed). */
  recoverySweeps: number;
  alerts: ReceivedAlert[];
  /** Change events recorded in the audit table, `action bucket` each. */
  changes: string[];
  violations: string[];
  seconds: number;
}

interface AuditItem {
  eventId: string;
  time: string;
  runId: string;
  bucket: string;
  action: string;
  configId?: string;
  target?: string;
  before?: unknown;
  after?: unknown;
}

const CHANGE_ACTIONS = new Set([
  'inventory-created',
  'inventory-updated',
  'inventory-deleted',
  'destination-policy-updated',
  'key-policy-updated',
]);

/**
 * Runs one row: drift made by hand, the fault injected, the change events and `sweepsWhileOn` sweeps handled
 * under it, the fault cleared, then sweeps until every bucket is in sync (2 at most). Then the invariants of
 * issue 17, point 1: every bucket converged; every change has exactly one audit event; every alert arrived
 * once (none left in the outbox); the foreign statements survived; no lease outlives its expiry; the bucket a
 * scoped fault hits never stopped the others.
 */
export async function runFaultRow(world: FaultWorld, row: FaultRow): Promise<RowResult> {
  const started = Date.now();
  const since = new Date(started - 1_000).toISOString();
  const violations: string[] = [];
  await world.unsettle();
  await world.inject(row.rules(world.names));
  world.loseDeletes = row.loseDeletes ?? 0;

  await world.changeEvents();
  await world.drain();
  for (let sweep = 0; sweep < (row.sweepsWhileOn ?? 1); sweep++) {
    await world.sweep();
    await world.drain();
  }
  const scoped = row.scopedTo?.(world.names);
  if (scoped !== undefined) {
    const others = world.sources.filter((bucket) => bucket !== scoped);
    for (const bucket of await notConverged(world, others))
      violations.push(`${bucket} did not converge while the fault on ${scoped} was on`);
    if (row.failsWhileOn && (await statusOf(world, scoped)) !== 'failed')
      violations.push(`${scoped} is not failed while its fault is on`);
  }

  const injected = await world.injectedErrors();
  await world.clearFaults();
  world.loseDeletes = 0;
  let recoverySweeps = 0;
  let pending = await notConverged(world, world.sources);
  while (pending.length > 0 && recoverySweeps < 3) {
    recoverySweeps += 1;
    await world.sweep();
    await world.drain();
    pending = await notConverged(world, world.sources);
  }
  if (pending.length > 0 || recoverySweeps > 2)
    violations.push(
      `not converged within two sweeps after the fault cleared: ${pending.join(', ') || '3 sweeps'}`,
    );

  const events = await auditEvents(world, since);
  violations.push(...auditViolations(world, events));
  violations.push(...(await stateViolations(world, events)));
  const alerts = await receiveAlerts(world);
  violations.push(...alertViolations(world, row, events, alerts));
  return {
    row,
    injected,
    recoverySweeps,
    alerts,
    changes: events
      .filter((event) => CHANGE_ACTIONS.has(event.action))
      .map((e) => `${e.action} ${e.bucket} ${e.runId}`),
    violations,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** The buckets whose status is not in-sync or whose configuration is missing. */
async function notConverged(world: FaultWorld, buckets: readonly string[]): Promise<string[]> {
  const pending: string[] = [];
  for (const bucket of buckets) {
    const listed = await world.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
    const ids = (listed.InventoryConfigurationList ?? []).map((configuration) => configuration.Id);
    if (!ids.includes('daily') || (await statusOf(world, bucket)) !== 'in-sync') pending.push(bucket);
  }
  return pending;
}

async function statusOf(world: FaultWorld, bucket: string): Promise<string | undefined> {
  const { Items } = await world.documents.send(
    new QueryCommand({
      TableName: world.stateTable,
      KeyConditionExpression: '#b = :b AND id = :id',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': bucket, ':id': '#status' },
      ConsistentRead: true,
    }),
  );
  return Items?.[0]?.state as string | undefined;
}

async function partition(world: FaultWorld, table: string, bucket: string) {
  const { Items } = await world.documents.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': bucket },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** The row's audit events of every source, oldest first. */
async function auditEvents(world: FaultWorld, since: string): Promise<AuditItem[]> {
  const events: AuditItem[] = [];
  for (const bucket of world.sources) {
    const items = await partition(world, world.auditTable, bucket);
    for (const item of items) {
      if (String(item.eventId).startsWith('#') || String(item.time) < since) continue;
      events.push(item as AuditItem);
    }
  }
  return events.sort((a, b) => a.time.localeCompare(b.time) || a.eventId.localeCompare(b.eventId));
}

/** Exactly one `inventory-created` per source; no change recorded twice. */
function auditViolations(world: FaultWorld, events: readonly AuditItem[]): string[] {
  const violations: string[] = [];
  for (const bucket of world.sources) {
    const created = events.filter((event) => event.bucket === bucket && event.action === 'inventory-created');
    if (created.length !== 1)
      violations.push(
        `${bucket}: ${created.length} inventory-created events for one re-created configuration`,
      );
  }
  const seen = new Set<string>();
  for (const event of events.filter((e) => CHANGE_ACTIONS.has(e.action))) {
    const change = canonicalJson({
      bucket: event.bucket,
      action: event.action,
      configId: event.configId ?? null,
      target: event.target ?? null,
      before: event.before ?? null,
      after: event.after ?? null,
    });
    if (seen.has(change))
      violations.push(`${event.bucket}: ${event.action} recorded twice (run ${event.runId})`);
    seen.add(change);
  }
  if (!events.some((event) => event.action === 'key-policy-updated' && event.bucket === world.names.sealed))
    violations.push(`${world.names.sealed}: the key grant was written without its key-policy-updated event`);
  return violations;
}

/**
 * The foreign statements are there, byte for byte; the key keeps its owner's statements; no lease outlives its
 * expiry; the outbox is empty (every kept alert was sent).
 */
async function stateViolations(world: FaultWorld, events: readonly AuditItem[]): Promise<string[]> {
  const violations: string[] = [];
  const policy = JSON.parse(
    (await world.s3.send(new GetBucketPolicyCommand({ Bucket: world.names.dest }))).Policy!,
  ) as { Statement: { Sid?: string }[] };
  const foreign = world.foreignPolicy().Statement[0]!;
  const kept = policy.Statement.find((statement) => statement.Sid === FOREIGN_SID);
  if (canonicalJson(kept ?? null) !== canonicalJson(foreign))
    violations.push(`the destination's foreign statement ${FOREIGN_SID} was lost or changed`);
  // Our grant is keyed by the sources' account (docs/aws-facts.md §13): one statement serves every source.
  const grant = policy.Statement.find((statement) => statement.Sid === 'S3irInventoryDelivery') as
    | { Condition?: { StringEquals?: Record<string, unknown> } }
    | undefined;
  const accounts = [grant?.Condition?.StringEquals?.['aws:SourceAccount'] ?? []].flat();
  if (world.sources.length > 0 && !accounts.includes(ACCOUNT))
    violations.push(`the destination grant does not name the sources' account ${ACCOUNT}`);
  if (!events.some((event) => event.action === 'destination-policy-updated'))
    violations.push('the destination grant was written without a destination-policy-updated event');

  const keyPolicy = JSON.parse(
    (await world.kms.send(new GetKeyPolicyCommand({ KeyId: world.keyArn, PolicyName: 'default' }))).Policy!,
  ) as { Statement: unknown[] };
  const present = new Set(keyPolicy.Statement.map((statement) => canonicalJson(statement)));
  for (const statement of (JSON.parse(world.keyPolicy) as { Statement: unknown[] }).Statement)
    if (!present.has(canonicalJson(statement)))
      violations.push("a statement of the key owner's policy was lost or changed");

  const nowSeconds = Math.floor(Date.now() / 1000);
  for (const lease of await partition(world, world.stateTable, '#lease'))
    if (Number(lease.expiresAt) > nowSeconds + 30)
      violations.push(`lease ${lease.id} expires at ${lease.expiresAt}, beyond its 30 s`);
  const outbox = await partition(world, world.stateTable, '#outbox');
  if (outbox.length > 0) violations.push(`${outbox.length} alert(s) still in the outbox`);
  return violations;
}

/** Every alert the topic delivered since the last call (received and deleted). */
export async function receiveAlerts(world: FaultWorld): Promise<ReceivedAlert[]> {
  const alerts: ReceivedAlert[] = [];
  for (let empty = 0; empty < 2; ) {
    const page = await world.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: world.alertQueue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) {
      empty += 1;
      continue;
    }
    for (const message of messages) {
      const body = JSON.parse(JSON.parse(message.Body!).Message) as ReceivedAlert;
      alerts.push({ type: body.type, bucket: body.bucket, runId: body.runId, summary: body.summary });
    }
    await world.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: world.alertQueue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle!,
        })),
      }),
    );
  }
  return alerts;
}

/**
 * One alert per bucket and run; the run that applied a bucket's last change sent its `drift-resolved`; a
 * bucket failed by the fault got exactly one `reconcile-failed` (kept while SNS was down, sent once after).
 */
function alertViolations(
  world: FaultWorld,
  row: FaultRow,
  events: readonly AuditItem[],
  alerts: readonly ReceivedAlert[],
): string[] {
  const violations: string[] = [];
  const counts = new Map<string, number>();
  for (const alert of alerts) {
    const key = `${alert.bucket} ${alert.runId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of counts)
    if (count > 1) violations.push(`${count} alerts for one bucket and run: ${key}`);
  for (const bucket of world.sources) {
    // A run that failed part-way (retried) may apply changes whose later attempt finds nothing left: the run
    // that applied the bucket's last change is the one that says it is resolved, for all of them.
    const last = events.filter((e) => e.bucket === bucket && CHANGE_ACTIONS.has(e.action)).at(-1);
    const resolved = alerts.some(
      (a) => a.bucket === bucket && a.type === 'drift-resolved' && a.runId === last?.runId,
    );
    if (last !== undefined && !resolved)
      violations.push(
        `${bucket}: no drift-resolved alert from run ${last.runId}, which applied its last change`,
      );
  }
  const scoped = row.scopedTo?.(world.names);
  if (row.failsWhileOn && scoped !== undefined) {
    const failed = alerts.filter((a) => a.bucket === scoped && a.type === 'reconcile-failed');
    if (failed.length !== 1)
      violations.push(`${scoped}: ${failed.length} reconcile-failed alerts, expected 1`);
  }
  return violations;
}
