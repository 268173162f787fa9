import { cliRunId, planBuckets } from '../../wiring/planBuckets.js';
import { accountTargets, noBucketsOf, parseAccounts, renderAccountFailures } from '../accountFilter.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { progressBar } from '../progressBar.js';
import { accountStatusRows, renderAccountStatuses } from '../render/renderAccountStatuses.js';
import { accountSummaries, renderAccountSummaries } from '../render/renderAccounts.js';
import {
  renderRefusedTemplates,
  renderStatus,
  statusCounts,
  statusRow,
  withSince,
} from '../render/renderStatus.js';

/** Options of `s3ir status`. */
export interface StatusOptions {
  json: boolean;
  /** Only the buckets of these accounts; empty: every account. */
  accounts: string[];
}

const { help } = commandSpec('status');

/**
 * `s3ir status [--account A]... [--json]` (DESIGN.md, Contract): always 0 once the buckets could be listed; 1
 * when a member account's could not be (named on stderr and in `accountErrors`, the others still shown).
 * The text ends with the counts per account when the buckets span accounts or `--account` is given; `--json`
 * carries them always, as `accounts` beside `counts`.
 */
export async function status(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.status, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: StatusOptions = { json: values.json ?? false, accounts: parseAccounts(values.account) };
  return withCliContext(io, async ({ service }) => {
    // One read of the catalog: the buckets to plan, and the templates it refused.
    const catalog = await service.catalog();
    const runId = cliRunId();
    const { buckets, accountOf, locations, failures } = await accountTargets(
      { ...service, catalog: async () => catalog },
      [],
      options.accounts,
      runId,
    );
    io.err(renderAccountFailures(failures));
    const refusedTemplates = (catalog.refusedTemplates ?? []).map(({ id, reason }) => ({ id, reason }));
    const bar = progressBar(io);
    try {
      const results = await planBuckets(service, buckets, {
        runId,
        locations,
        progress: (done, total) => bar.update(done, total),
      });
      bar.done();
      const planned = results.flatMap((result) => ('notDeclared' in result ? [] : [statusRow(result)]));
      // Every status from the state table, 100 a request.
      const statuses = await service.statuses.getMany(planned.map((row) => row.bucket));
      const rows = planned.map((row) => withSince(row, statuses.get(row.bucket)));
      const placed = await accountOf();
      const accounts = accountSummaries(
        rows.map((row) => ({ account: placed(row.bucket), status: row.status })),
      );
      // #18: member accounts not reconciled now (discovery failed, left the organization): one Query.
      const notReconciled = accountStatusRows(await service.accountStatuses.list(), options.accounts);
      if (options.json) {
        const templates = refusedTemplates.length > 0 ? { refusedTemplates } : {};
        const accountErrors = failures.length > 0 ? { accountErrors: failures } : {};
        const accountStatuses = notReconciled.length > 0 ? { accountStatuses: notReconciled } : {};
        const counts = statusCounts(rows);
        io.out(
          `${JSON.stringify({ version: 1, buckets: rows, counts, accounts, ...templates, ...accountErrors, ...accountStatuses })}\n`,
        );
      } else if (rows.length === 0 && options.accounts.length > 0) {
        io.out(noBucketsOf(options.accounts));
        io.out(renderAccountStatuses(notReconciled, { color: io.color }));
      } else {
        io.out(renderStatus(rows, { color: io.color }));
        if (accounts.length > 1 || options.accounts.length > 0) {
          io.out(renderAccountSummaries(accounts, { color: io.color }));
        }
        io.out(renderAccountStatuses(notReconciled, { color: io.color }));
        io.out(renderRefusedTemplates(refusedTemplates, { color: io.color }));
      }
      // The buckets of a member account that could not be listed are not in the counts: not "all listed".
      return failures.length > 0 ? 1 : 0;
    } finally {
      bar.done();
    }
  });
}
