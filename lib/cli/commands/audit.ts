import { unboundedFilter } from '../../adapters/aws/auditReadPlan.js';
import {
  auditReaderFor,
  type DynamoAuditReader,
  MAX_AUDIT_PAGE,
} from '../../adapters/aws/DynamoAuditReader.js';
import { AuditAction, type AuditEvent, type AuditPage, type AuditQuery } from '../../core/audit/types.js';
import { cliRunId } from '../../wiring/planBuckets.js';
import { accountTargets, parseAccounts, renderAccountFailures } from '../accountFilter.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { parseTime } from '../parseTime.js';
import { auditJsonLine, renderAudit } from '../render/renderAudit.js';

/**
 * The newest `limit` events that `keep` keeps: pages until that many or none left (a page of a walk over quiet
 * days may come back short or empty with a `next`: the reader bounds each page's reads, not the CLI's answer).
 */
async function newest(
  reader: Pick<DynamoAuditReader, 'page'>,
  query: AuditQuery,
  limit: number,
  keep: (event: AuditEvent) => boolean = () => true,
): Promise<AuditPage> {
  const events: AuditEvent[] = [];
  let next: string | undefined;
  do {
    const page = await reader.page(query, {
      limit: limit - events.length,
      ...(next !== undefined && { next }),
    });
    events.push(...page.events.filter(keep));
    next = page.next;
  } while (next !== undefined && events.length < limit);
  return { events, ...(next !== undefined && { next }) };
}

/**
 * Options of `s3ir audit`: every one narrows the history; `limit` keeps the newest N; `accounts` keeps the
 * events of the buckets the desired state places in those accounts (events carry no account of their own).
 */
export type AuditOptions = AuditQuery & { json: boolean; limit?: number; accounts: string[] };

const ACTIONS = Object.values(AuditAction) as string[];

const { help } = commandSpec('audit');

/**
 * `s3ir audit [--bucket B] [--since T] [--until T] [--run R] [--action A] [--json]` (DESIGN.md, Contract),
 * and `s3ir audit verify` (lib/cli/commands/auditVerify.ts).
 */
export async function audit(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'verify') return (await import('./auditVerify.js')).auditVerify(argv.slice(1), io);
  const values = parseCommand(argv, { ...OPTIONS.audit, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  if (values.action !== undefined && !ACTIONS.includes(values.action)) {
    throw new UsageError(
      `--action: expected one of ${ACTIONS.join(', ')}, got ${JSON.stringify(values.action)}`,
    );
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_AUDIT_PAGE)) {
    throw new UsageError(
      `--limit: expected a whole number from 1 to ${MAX_AUDIT_PAGE}, got ${JSON.stringify(values.limit)}`,
    );
  }
  const now = new Date();
  const options: AuditOptions = {
    json: values.json ?? false,
    accounts: parseAccounts(values.account),
    ...(limit !== undefined && { limit }),
    ...(values.bucket !== undefined && { bucket: values.bucket }),
    ...(values.run !== undefined && { runId: values.run }),
    ...(values.action !== undefined && { action: values.action }),
    ...(values.since !== undefined && { since: parseTime('--since', values.since, now) }),
    ...(values.until !== undefined && { until: parseTime('--until', values.until, now) }),
  };
  if (options.since !== undefined && options.until !== undefined && options.since > options.until) {
    throw new UsageError(`--since (${options.since}) is after --until (${options.until})`);
  }
  // Said before any read: the table is never read whole to filter it (lib/adapters/aws/auditReadPlan.ts).
  const unbounded = unboundedFilter(options);
  if (unbounded !== undefined) {
    throw new UsageError(
      `--${unbounded.filter} with --${unbounded.index}: no index serves both, so the ${unbounded.index}'s whole history would be read to filter it; add --since (e.g. --since 30d)`,
    );
  }
  return withCliContext(io, async ({ service }) => {
    const reader = await auditReaderFor(service.factory, service.config.auditTable);
    const { json: _json, limit: _limit, accounts: _accounts, ...query } = options;
    const keep = await accountEvents(service, options.accounts, io);
    const { events, next } =
      options.limit === undefined
        ? { events: (await reader.query(query)).filter(keep), next: undefined }
        : await newest(reader, query, options.limit, keep);
    if (options.json) for (const event of events) io.out(`${auditJsonLine(event)}\n`);
    else {
      io.out(renderAudit(events, { color: io.color }));
      if (next !== undefined) io.out(`(the newest ${events.length} shown; older events match too)\n`);
    }
    return 0;
  });
}

/**
 * Which events `--account` keeps: those of the buckets the desired state places in one of `accounts` (its
 * `account` setting, else the home account), as `s3ir status --account` lists them. Audit events carry no
 * account, so the events of a bucket no longer declared, and of the service's own chains (`#hold`), are not kept.
 */
async function accountEvents(
  service: Parameters<typeof accountTargets>[0],
  accounts: readonly string[],
  io: CliIo,
): Promise<(event: AuditEvent) => boolean> {
  if (accounts.length === 0) return () => true;
  const { buckets, failures } = await accountTargets(service, [], accounts, cliRunId());
  // The events of an account whose buckets could not be listed cannot be told apart: said, not hidden.
  io.err(renderAccountFailures(failures));
  const kept = new Set(buckets);
  return (event) => kept.has(event.bucket);
}
