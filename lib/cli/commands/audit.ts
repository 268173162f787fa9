import { AuditAction, type AuditQuery } from '../../audit/types.js';
import { auditReaderFor, MAX_AUDIT_PAGE } from '../../aws/DynamoAuditReader.js';
import { withCliContext } from '../cliContext.js';
import { UserError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { parseTime } from '../parseTime.js';
import { auditJsonLine, renderAudit } from '../render/renderAudit.js';

/** Options of `s3ir audit`: every one narrows the history; `limit` keeps the newest N. */
export type AuditOptions = AuditQuery & { json: boolean; limit?: number };

const ACTIONS = Object.values(AuditAction) as string[];

const help = {
  usage:
    'Usage: s3ir audit [--bucket B] [--since T] [--until T] [--run R] [--action A] [--limit N] [--json]\n' +
    '       s3ir audit verify [--bucket B]... [--json]   (check the hash chains; see s3ir audit verify --help)',
  summary:
    'The audit history, newest first. T is an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z; UTC\n' +
    'when no zone is given) or a duration ago (30m, 12h, 7d).',
  options: [
    ['--bucket B', 'events of this bucket'],
    ['--since T', 'events at or after T'],
    ['--until T', 'events at or before T'],
    ['--run R', 'events of this run (e.g. cli-20260131T120000000Z)'],
    ['--action A', `events of this action: ${ACTIONS.join(', ')}`],
    ['--limit N', `only the newest N events (1 to ${MAX_AUDIT_PAGE})`],
    [
      '--json',
      'one event per line: { eventId, time, runId, bucket, configId?, action, actor, ..., seq, prevHash, hash }',
    ],
  ] as [string, string][],
  exit: '0, 1 error',
};

/**
 * `s3ir audit [--bucket B] [--since T] [--until T] [--run R] [--action A] [--json]` (DESIGN.md, Contract),
 * and `s3ir audit verify` (lib/cli/commands/auditVerify.ts).
 */
export async function audit(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'verify') return (await import('./auditVerify.js')).auditVerify(argv.slice(1), io);
  const values = parseCommand(
    argv,
    {
      bucket: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      run: { type: 'string' },
      action: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    help,
  );
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  if (values.action !== undefined && !ACTIONS.includes(values.action)) {
    throw new UserError(
      `--action: expected one of ${ACTIONS.join(', ')}, got ${JSON.stringify(values.action)}`,
    );
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_AUDIT_PAGE)) {
    throw new UserError(
      `--limit: expected a whole number from 1 to ${MAX_AUDIT_PAGE}, got ${JSON.stringify(values.limit)}`,
    );
  }
  const now = new Date();
  const options: AuditOptions = {
    json: values.json ?? false,
    ...(limit !== undefined && { limit }),
    ...(values.bucket !== undefined && { bucket: values.bucket }),
    ...(values.run !== undefined && { runId: values.run }),
    ...(values.action !== undefined && { action: values.action }),
    ...(values.since !== undefined && { since: parseTime('--since', values.since, now) }),
    ...(values.until !== undefined && { until: parseTime('--until', values.until, now) }),
  };
  if (options.since !== undefined && options.until !== undefined && options.since > options.until) {
    throw new UserError(`--since (${options.since}) is after --until (${options.until})`);
  }
  return withCliContext(io, async ({ service }) => {
    const reader = await auditReaderFor(service.factory, service.config.auditTable);
    const { json: _json, limit: _limit, ...query } = options;
    const { events, next } =
      options.limit === undefined
        ? { events: await reader.query(query), next: undefined }
        : await reader.page(query, { limit: options.limit });
    if (options.json) for (const event of events) io.out(`${auditJsonLine(event)}\n`);
    else {
      io.out(renderAudit(events, { color: io.color }));
      if (next !== undefined) io.out(`(the newest ${events.length} shown; older events match too)\n`);
    }
    return 0;
  });
}
