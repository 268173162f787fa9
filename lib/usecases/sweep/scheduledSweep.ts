import type { AlertDeliveryPorts } from '../../core/alerts/types.js';
import { TEMPLATES_STATUS_SUBJECT, type TemplateRefusal } from '../../core/desired/templateRefusals.js';
import { type AnchorAuditDeps, anchorAudit } from '../anchorAudit/anchorAudit.js';
import type { ChangeWindowStore } from '../brake/ports.js';
import { type AccountStatusDeps, reportMembershipChanges } from '../discovery/accountReports.js';
import { type DiscoveredStore, memberBucketsKept } from '../discovery/discoveredBuckets.js';
import {
  type SweepAccountsDeps,
  type SweepAccountsReport,
  sweepAccounts,
} from '../discovery/sweepAccounts.js';
import { flushOutbox } from '../flushOutbox/flushOutbox.js';
import type { TransitionDeps } from '../recordTransition/recordTransition.js';
import { grantCatalogOf } from '../sweepGrants/grantCatalog.js';
import type { SweepGrantsDeps } from '../sweepGrants/ports.js';
import { type SweepGrantsReport, sweepGrants } from '../sweepGrants/sweepGrants.js';
import { type BookkeepingStore, type CleanupOptions, cleanBookkeeping } from './cleanBookkeeping.js';
import { reportRefusedTemplates } from './reportTemplates.js';
import { type SendSummariesDeps, sendAdoptionSummaries } from './sendAdoptionSummaries.js';
import { type DesiredCatalog, runSweepReport, type SweepDeps } from './sweep.js';

/** What one scheduled sweep uses: the sweep's reads and queue, and every step around the fan-out. */
export interface ScheduledSweepDeps extends SweepDeps {
  /** The state table's per-bucket items, removed once their bucket leaves the sweep. */
  bookkeeping: BookkeepingStore;
  /** SNS and the outbox the sweep flushes; absent without a topic. */
  alertDelivery?: AlertDeliveryPorts;
  /** The member accounts' half of the sweep (#18), when `S3IR_DISCOVERY_QUEUE_URL` is set. */
  discovery?: SweepAccountsDeps;
  /** The audit anchor written at the end of each sweep (issue 16), when a digest bucket is configured. */
  anchors?: AnchorAuditDeps;
  /** The account-wide brake's hold, read for the HoldActive metric every sweep. */
  brakeStore: ChangeWindowStore;
  /** Where the refused templates' status, alerts and audit events go (./reportTemplates). */
  templateStatus: Omit<TransitionDeps, 'context'>;
  /** #18 point 4: the grant step before the fan-out (one policy write per destination and key at most). */
  grants: SweepGrantsDeps;
  /** #18: where accounts that left the organization (or came back) are recorded; set with `discovery`. */
  accountStatus?: Omit<AccountStatusDeps, 'context'>;
  /** #18: what each member account's last discovery selected (the cleanup keeps those buckets); with `discovery`. */
  discovered?: DiscoveredStore;
  /** #18 point 4: the first reconciles' summaries, sent once per run and account; absent without a topic. */
  adoption?: SendSummariesDeps;
}

/** Where a sweep says what it could not do (the schedule function's logger). */
export interface SweepLog {
  info(message: string, ...details: Record<string, unknown>[]): void;
  warn(message: string, ...details: Record<string, unknown>[]): void;
  error(message: string, ...details: Record<string, unknown>[]): void;
}

/** What the schedule function returns for one sweep. */
export interface ScheduledSweepReport {
  runId: string;
  buckets: number;
  alertsFlushed: number;
  summariesSent: number;
  templatesRefused: number;
  bookkeepingRemoved: number;
  anchored: string | undefined;
  grants?: {
    written: number;
    unchanged: number;
    reportOnly: number;
    left: number;
    failed: number;
    pruned: boolean;
    /** #18: policies no declaration names any more, planned for a prune; records forgotten. */
    unnamed: number;
    forgotten: number;
  };
  accountsDiscovered?: string[];
  accountsDropped?: string[];
  accountsReported?: string[];
}

/** Alerts SNS refused since the last sweep, sent now (lib/usecases/flushOutbox/flushOutbox never throws). */
async function flushAlerts(deps: ScheduledSweepDeps, log: SweepLog): Promise<number> {
  if (!deps.alertDelivery) return 0;
  const report = await flushOutbox(deps.alertDelivery);
  if (report.unread)
    log.error('outbox not read: its alerts wait for the next sweep', { error: report.unread });
  for (const kept of report.kept) log.warn('alert still in the outbox', { kept });
  return report.sent.length;
}

/**
 * #18 point 4: the summaries of earlier runs' first reconciles, one alert per run and account, each removed
 * once sent or kept in the outbox (lib/usecases/sweep/sendAdoptionSummaries never throws). One Query when none.
 */
async function sendSummaries(deps: ScheduledSweepDeps, log: SweepLog, runId: string): Promise<number> {
  if (!deps.adoption) return 0;
  const report = await sendAdoptionSummaries(deps.adoption, runId);
  if (report.unread)
    log.error('adoption summaries not read: the next sweep sends them', { error: report.unread });
  for (const kept of report.kept) log.warn('adoption summary kept for the next sweep', { kept });
  return report.sent.length;
}

/**
 * The bookkeeping of buckets this sweep no longer reconciles, removed (one Scan of the state table per
 * sweep). A failure here is logged, never thrown: the buckets are enqueued already, and the next sweep
 * cleans what this one could not.
 */
async function cleanUp(
  deps: ScheduledSweepDeps,
  log: SweepLog,
  buckets: readonly string[],
  options: CleanupOptions = {},
): Promise<number> {
  try {
    const report = await cleanBookkeeping(buckets, deps.bookkeeping, options);
    if (report.skipped) log.info('bookkeeping not cleaned this sweep', { why: report.skipped });
    if (report.removed.length > 0) log.info('bookkeeping removed', { removed: report.removed });
    for (const kept of report.kept) log.warn('bookkeeping not removed', { kept });
    return report.removed.length;
  } catch (error) {
    log.error('bookkeeping not read: the next sweep cleans it', { error });
    return 0;
  }
}

/**
 * The `#templates` items the catalog refused, reported once per change (one alert naming each template
 * and field; lib/usecases/sweep/reportTemplates). Logged, never thrown: the buckets are enqueued already,
 * and the next sweep reports what this one could not.
 */
async function reportTemplates(
  deps: ScheduledSweepDeps,
  log: SweepLog,
  refusals: readonly TemplateRefusal[],
  runId: string,
): Promise<number> {
  if (refusals.length > 0)
    log.warn('templates refused', { refused: refusals.map(({ id, reason }) => ({ id, reason })) });
  try {
    const context = { runId, actor: 's3ir-schedule' };
    const report = await reportRefusedTemplates(refusals, { ...deps.templateStatus, context });
    if (report?.statusError) log.warn('templates status not written', { error: report.statusError });
  } catch (error) {
    log.error('refused templates not reported: the next sweep does', { error });
  }
  return refusals.length;
}

/**
 * #18 point 9: each account that left the allowed organization or OUs since the last sweep gets the status
 * `left-organization`, one alert and one audit event; one allowed again has it cleared. Logged, never thrown.
 */
async function reportAccounts(
  deps: ScheduledSweepDeps,
  log: SweepLog,
  accounts: SweepAccountsReport,
  runId: string,
): Promise<string[]> {
  if (deps.accountStatus === undefined || accounts.added.length + accounts.dropped.length === 0) return [];
  const context = { runId, actor: 's3ir-schedule' };
  const report = await reportMembershipChanges(accounts, { ...deps.accountStatus, context });
  for (const failed of report.failed) log.error('account status not recorded', { failed });
  return report.recorded;
}

/**
 * The audit history anchored at the end of the sweep (issue 16; lib/wiring/anchorWiring). Logged, never
 * thrown: the buckets are enqueued already, and auditAnchor anchors at its next tick.
 */
async function anchorAfterSweep(deps: ScheduledSweepDeps, log: SweepLog): Promise<string | undefined> {
  if (deps.anchors === undefined) return undefined;
  try {
    return (await anchorAudit(deps.anchors)).key;
  } catch (error) {
    log.error('audit not anchored: auditAnchor does at its next tick', { error });
    return undefined;
  }
}

/**
 * HoldActive, 1 or 0, every sweep (the stuck-hold alarm and the dashboard read it): whether the account-wide
 * brake put the service on hold (one GetItem). A failed read is logged and emits nothing: the alarm keeps its
 * state over missing data (TreatMissingData `missing`, infra/resources/monitoring/operations.cjs).
 */
async function holdActive(deps: ScheduledSweepDeps, log: SweepLog): Promise<0 | 1 | undefined> {
  try {
    return (await deps.brakeStore.currentHold()) === undefined ? 0 : 1;
  } catch (error) {
    log.error('hold not read: HoldActive not emitted this sweep', { error });
    return undefined;
  }
}

/**
 * #18 point 4: the grants of the whole catalog, one policy write per destination and key at most, before any
 * bucket is enqueued (lib/usecases/sweepGrants). Logged, never thrown: a policy the step could not write is
 * granted bucket by bucket by the reconciles, as before.
 */
async function grantAhead(
  deps: ScheduledSweepDeps,
  log: SweepLog,
  catalog: DesiredCatalog,
  runId: string,
): Promise<SweepGrantsReport | undefined> {
  try {
    const context = { runId, actor: 's3ir-schedule' };
    const report = await sweepGrants(grantCatalogOf(catalog), deps.grants, context);
    if (report.written.length > 0) log.info('grants written', { written: report.written });
    if (report.partial.length > 0)
      log.info('grants not pruned: partial catalog', { partial: report.partial });
    for (const failed of report.failed) log.error('grant not written: the reconciles grant it', { failed });
    if (report.unnamed.length > 0)
      log.info('grants no declaration names any more', { unnamed: report.unnamed });
    if (report.forgotten.length > 0) log.info('grants no longer managed', { forgotten: report.forgotten });
    for (const unrecorded of report.unrecorded)
      log.warn('grant record not kept: the next sweep does', { unrecorded });
    return report;
  } catch (error) {
    log.error('grants not planned: the reconciles grant bucket by bucket', { error });
    return undefined;
  }
}

/**
 * #18: the organization's membership resolved before the catalog and the grant step (one resolution per
 * sweep, as before: the grant step's bounds then read the membership this resolution left in memory), handed
 * to the member-account half as its refresh. A failure is kept and thrown where it was before, after the
 * fan-out, so that the buckets are enqueued whatever Organizations answers.
 */
async function refreshedFirst(discovery: SweepAccountsDeps): Promise<SweepAccountsDeps> {
  try {
    const refreshed = await discovery.refresh();
    return { ...discovery, refresh: async () => refreshed };
  } catch (error) {
    return { ...discovery, refresh: () => Promise.reject(error) };
  }
}

/**
 * One scheduled sweep: the alerts kept in the outbox and the earlier runs' summaries sent, the grants of the
 * whole catalog written ahead (#18 point 4), every bucket with desired state (or selected by a template) onto
 * the queue, member accounts sent to discovery, refused templates and departed accounts reported, the
 * bookkeeping of buckets no longer swept removed, the audit anchored. Each step after the fan-out logs its
 * failure and never throws: the buckets are enqueued already, and the next sweep does what this one could not.
 * @returns the report, and HoldActive (1 or 0; undefined when the hold could not be read)
 */
export async function runScheduledSweep(
  deps: ScheduledSweepDeps,
  runId: string,
  log: SweepLog,
): Promise<{ report: ScheduledSweepReport; hold: 0 | 1 | undefined }> {
  const flushed = await flushAlerts(deps, log);
  const summariesSent = await sendSummaries(deps, log, runId); // #18 point 4
  // #18: the organization resolved first, so that the catalog and the grant step see this sweep's membership.
  const discovery = deps.discovery && (await refreshedFirst(deps.discovery));
  // One read of the catalog for the grant step and the fan-out (#18 point 4).
  const catalog = await deps.catalog();
  const grants = await grantAhead(deps, log, catalog, runId);
  const sweep = await runSweepReport({ ...deps, catalog: async () => catalog }, runId);
  const { buckets } = sweep;
  log.info('sweep enqueued', { buckets: buckets.length });
  const accounts = discovery && (await sweepAccounts(discovery, runId)); // #18
  if (accounts?.dropped.length)
    log.warn('accounts no longer allowed: not swept', { dropped: accounts.dropped });
  if (accounts?.stale)
    log.error('organization not resolved: the stored membership stands', { error: accounts.stale });
  const accountsReported = accounts ? await reportAccounts(deps, log, accounts, runId) : [];
  const templatesRefused = await reportTemplates(deps, log, sweep.refusedTemplates, runId);
  // #18: `#status`/`#delivery` items are keyed by bucket name alone, and member accounts' buckets are listed
  // by the discover handlers, not here: while any account is sent to discovery, this sweep's list is not every
  // bucket reconciled. Each discovery keeps what it selected (`#discovered`, a fixed-cap filter per account,
  // written before its buckets are enqueued), and the cleanup keeps those of the accounts sent now: a member
  // bucket no longer selected, or whose account left, loses its bookkeeping. Until every account sent has such
  // a record, nothing is cleaned (as before). With none sent, the list is complete.
  // The templates' own status is bookkeeping of the sweep's, not of a bucket's: never cleaned.
  const { discovered } = deps;
  const swept = [...buckets, TEMPLATES_STATUS_SUBJECT];
  const removed = !accounts?.accounts.length
    ? await cleanUp(deps, log, swept)
    : discovered !== undefined
      ? await cleanUp(deps, log, swept, { alsoKept: () => memberBucketsKept(discovered, accounts.accounts) })
      : 0;
  const anchored = await anchorAfterSweep(deps, log);
  const hold = await holdActive(deps, log);
  const report: ScheduledSweepReport = {
    runId,
    buckets: buckets.length,
    alertsFlushed: flushed,
    summariesSent,
    templatesRefused,
    bookkeepingRemoved: removed,
    anchored,
    ...(grants && {
      grants: {
        written: grants.written.length,
        unchanged: grants.unchanged.length,
        reportOnly: grants.reportOnly.length,
        left: grants.left.length,
        failed: grants.failed.length,
        pruned: grants.partial.length === 0,
        unnamed: grants.unnamed.length,
        forgotten: grants.forgotten.length,
      },
    }),
    ...(accounts && { accountsDiscovered: accounts.accounts, accountsDropped: accounts.dropped }),
    ...(accountsReported.length > 0 && { accountsReported }),
  };
  return { report, hold };
}
