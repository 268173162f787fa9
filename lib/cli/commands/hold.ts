import { releaseHold } from '../../usecases/brake/releaseHold.js';
import { cliRunId } from '../../wiring/planBuckets.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { holdReport, renderHold, renderRelease } from '../render/renderHold.js';

const holdHelp = commandSpec('hold').help;
const releaseHelp = commandSpec('hold release').help;

/** `s3ir hold [--json]` (DESIGN.md, Contract): the account-wide hold, and the brake's window. Always 0. */
export async function hold(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.hold, ...AWS_OPTIONS }, holdHelp);
  if (values === 'help') {
    io.out(formatHelp(holdHelp));
    return 0;
  }
  return withCliContext(io, async ({ service }) => {
    const { store, limits } = service.brakes;
    const now = new Date();
    const [current, counts] = await Promise.all([
      store.currentHold(),
      store.windowCounts(limits.windowMinutes, now.getTime()),
    ]);
    const report = holdReport(current, counts, limits);
    io.out(values.json ? `${JSON.stringify(report)}\n` : renderHold(report, { color: io.color, now }));
    return 0;
  });
}

/**
 * `s3ir hold release [--json]`: lifts the hold, resets the window's counters and records `hold-released` with
 * the caller's identity (STS GetCallerIdentity; `unverified:$USER` when STS cannot say). 0 also when no hold
 * was in force (nothing is recorded then).
 */
export async function holdRelease(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.holdRelease, ...AWS_OPTIONS }, releaseHelp);
  if (values === 'help') {
    io.out(formatHelp(releaseHelp));
    return 0;
  }
  return withCliContext(io, async ({ service, actor }) => {
    const who = await actor();
    const released = await releaseHold({
      store: service.brakes.store,
      audit: service.audit,
      windowMinutes: service.brakes.limits.windowMinutes,
      actor: who,
      runId: cliRunId(),
    });
    io.out(
      values.json
        ? `${JSON.stringify({ version: 1, released: released ?? null, actor: who })}\n`
        : renderRelease(released, who),
    );
    return 0;
  });
}
