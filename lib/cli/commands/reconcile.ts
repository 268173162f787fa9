import { AwsAdapterError } from '../../adapters/aws/errors.js';
import { AlertError } from '../../core/alerts/errors.js';
import { mapLimit } from '../../core/concurrency/mapLimit.js';
import { ReconcileMode } from '../../core/desired/types.js';
import { ReconcileError } from '../../core/reconcile/errors.js';
import { ReconcileStatus } from '../../core/reconcile/outcome.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import type { DesiredStore, ReconcileBucketDeps } from '../../usecases/ports.js';
import type { BucketMessage } from '../../usecases/reconcileMessage/bucketMessage.js';
import {
  type ReconcileMessageOptions,
  reconcileMessage,
} from '../../usecases/reconcileMessage/reconcileMessage.js';
import { cliRunId } from '../../wiring/planBuckets.js';
import { accountTargets, noBucketsOf, parseAccounts, renderAccountFailures } from '../accountFilter.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import {
  type BucketReconcileReport,
  reconcileReport,
  renderReconcileReport,
} from '../render/renderReconcile.js';

/** Options of `s3ir reconcile`. */
export interface ReconcileOptions {
  /** Buckets to reconcile; empty: every bucket the scheduler would sweep. */
  buckets: string[];
  /** Only record drift: every bucket and item in detect mode. */
  detectOnly: boolean;
  json: boolean;
  /** Only the buckets of these accounts; empty: every account. */
  accounts: string[];
}

const { help } = commandSpec('reconcile');

const FAILED = new Set<string>([ReconcileStatus.Failed]);

/** Buckets reconciled at once: as many as `plan` reads at once (lib/wiring/planBuckets). */
const CONCURRENCY = 8;

/** Calls `emit` with item 0, 1, 2… in that order, whatever order they arrive in. */
function inOrder<T>(emit: (item: T) => void): (index: number, item: T) => void {
  const waiting = new Map<number, T>();
  let next = 0;
  return (index, item) => {
    waiting.set(index, item);
    while (waiting.has(next)) {
      emit(waiting.get(next) as T);
      waiting.delete(next);
      next += 1;
    }
  };
}

/**
 * `s3ir reconcile [--bucket B]... [--account A]... [--detect-only] [--json]` (DESIGN.md, Contract): 0 converged,
 * 1 failures (a bucket, or a member account whose buckets could not be listed: named on stderr, the other
 * accounts' buckets still reconciled).
 */
export async function reconcile(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.reconcile, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: ReconcileOptions = {
    buckets: values.bucket ?? [],
    detectOnly: values['detect-only'] ?? false,
    json: values.json ?? false,
    accounts: parseAccounts(values.account),
  };
  return withCliContext(io, async ({ service, actor }) => {
    const runId = cliRunId();
    const [{ buckets, locations, failures }, who] = await Promise.all([
      accountTargets(service, options.buckets, options.accounts, runId),
      actor(),
    ]);
    io.err(renderAccountFailures(failures));
    let failed = 0;
    // Buckets are independent (shared policies are written under their lease), so CONCURRENCY at a time;
    // each report is printed as soon as every bucket before it is, so the output keeps the buckets' order.
    const print = inOrder<BucketReconcileReport>((report) =>
      io.out(
        options.json ? `${JSON.stringify(report)}\n` : renderReconcileReport(report, { color: io.color }),
      ),
    );
    const alone = serially();
    await mapLimit(buckets, CONCURRENCY, async (bucket, index) => {
      // A member account's bucket is reconciled there, as the discovery's message would have it (#18).
      const message = { bucket, runId, ...locations.get(bucket) };
      const base = service.reconcileDepsFor(message);
      const deps: ReconcileBucketDeps = {
        ...base,
        context: { runId, actor: who },
        ...(options.detectOnly && { desired: detectOnly(base.desired) }),
      };
      // Buckets of one run often share a destination policy: one may find its lease busy too long while the
      // others write. What failed among the many gets one more try alone, and that one's failure is final.
      const report =
        (await reconcileOne(message, deps, service.statusStep, false)) ??
        (await alone(async () => (await reconcileOne(message, deps, service.statusStep, true))!));
      if (FAILED.has(report.status)) failed += 1;
      print(index, report);
    });
    if (!options.json && buckets.length === 0) {
      io.out(
        options.accounts.length > 0
          ? noBucketsOf(options.accounts)
          : 'Nothing is declared: no bucket to reconcile.\n',
      );
    }
    // Alerts this run kept in the outbox (SNS refused them): sent now if SNS answers again, else they wait.
    const flush = await service.alertDispatch?.settle();
    if (flush !== undefined && (flush.kept.length > 0 || flush.unread !== undefined)) {
      const waiting = flush.unread ?? `${flush.kept.length} alert(s) SNS did not take`;
      io.err(`Alerts kept in the outbox for a later run: ${waiting}\n`);
    }
    return failed > 0 || failures.length > 0 ? 1 : 0;
  });
}

/**
 * The service's reconcile and status step for one bucket. On the `final` try, a failure (what the service
 * would retry too: throttling, a busy shared policy) is recorded as this run's and reported; on a first try it
 * is neither, and `undefined` asks for the final one.
 */
async function reconcileOne(
  message: BucketMessage,
  deps: ReconcileBucketDeps,
  status: ReconcileMessageOptions['status'],
  final: boolean,
): Promise<BucketReconcileReport | undefined> {
  const { bucket } = message;
  try {
    const options = {
      deps,
      status,
      lastAttempt: final,
      finalNote: 'not retried further: s3ir reconcile tries twice',
    };
    const { outcome, transition } = await reconcileMessage(message, options);
    return reconcileReport(outcome, transition);
  } catch (error) {
    const known =
      error instanceof ReconcileError || error instanceof AwsAdapterError || error instanceof AlertError;
    if (!known) throw error;
    if (!final) return undefined;
    return {
      version: 1,
      bucket,
      status: 'failed',
      attempts: 0,
      outcomes: [],
      failure: describeFailure(error),
    };
  }
}

/** Runs the functions given to it one at a time, in the order given. */
function serially(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = last.then(work);
    last = run.catch(() => undefined);
    return run;
  };
}

/** The desired state with every bucket and item in detect mode: the reconcile only reports. */
function detectOnly(store: DesiredStore): DesiredStore {
  return {
    ...(store.keepRegion && { keepRegion: store.keepRegion.bind(store) }),
    async getBucket(bucket) {
      const desired = await store.getBucket(bucket);
      if (desired === undefined) return undefined;
      const items = desired.items.map((item) => ({ ...item, mode: ReconcileMode.Detect }));
      return { ...desired, mode: ReconcileMode.Detect, prune: desired.prune, items };
    },
  };
}
