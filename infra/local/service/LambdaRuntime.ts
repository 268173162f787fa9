import { lambdaContext } from './lambdaEvents.js';
import { FunctionName, type LambdaHandler } from './types.js';

/** Timeouts of serverless.yml (schedule 300 s, reconcile 120 s; the others the 6 s default, given room). */
const TIMEOUT_MS: Record<FunctionName, number> = {
  schedule: 300_000,
  reconcile: 120_000,
  s3Change: 30_000,
  desiredChange: 30_000,
  discover: 120_000,
};

/**
 * The event-driven functions of `functions/` (not delivery-check nor audit-api; discover only with a
 * discovery queue), loaded and invoked
 * in this process as Lambda would: the env set before the modules load (they read it once per cold
 * start), then each invocation with its event and a context whose deadline is the function's timeout.
 * One cold start for the whole session, like a warm Lambda; invocations of one function do not overlap
 * (Lambda would scale out instead).
 */
export class LambdaRuntime {
  private readonly handlers: Record<FunctionName, LambdaHandler>;
  private readonly region: string;
  private readonly queues = new Map<FunctionName, Promise<unknown>>();

  private constructor(handlers: Record<FunctionName, LambdaHandler>, region: string) {
    this.handlers = handlers;
    this.region = region;
  }

  /**
   * Sets `env` on `process.env` and imports the functions. The process becomes the functions' sandbox:
   * call it once, after anything else in the process has made its own clients.
   */
  static async load(env: Record<string, string>): Promise<LambdaRuntime> {
    Object.assign(process.env, env);
    const [schedule, reconcile, s3Change, desiredChange] = await Promise.all([
      import('../../../functions/schedule.js'),
      import('../../../functions/reconcile.js'),
      import('../../../functions/s3Change.js'),
      import('../../../functions/desiredChange.js'),
    ]);
    // discover reads its config at load: only a service with a discovery queue (#18) loads it.
    const discover = env.S3IR_DISCOVERY_QUEUE_URL
      ? await import('../../../functions/discover.js')
      : undefined;
    const handlers = {
      [FunctionName.Schedule]: schedule.handler,
      [FunctionName.Reconcile]: reconcile.handler,
      [FunctionName.S3Change]: s3Change.handler,
      [FunctionName.DesiredChange]: desiredChange.handler,
      ...(discover && { [FunctionName.Discover]: discover.handler }),
    } as unknown as Record<FunctionName, LambdaHandler>;
    return new LambdaRuntime(handlers, env.AWS_REGION ?? 'us-east-1');
  }

  /** Invokes one function with `event`, after the invocation of that function in flight, if any. */
  invoke<T>(name: FunctionName, event: unknown): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    // The context is made when the invocation starts: its deadline counts from then.
    const run = previous.then(() =>
      this.handlers[name](event as never, lambdaContext(name, TIMEOUT_MS[name], this.region)),
    );
    this.queues.set(
      name,
      run.catch(() => undefined),
    );
    return run as Promise<T>;
  }

  /** Resolves once no invocation is in flight. */
  async idle(): Promise<void> {
    await Promise.all(this.queues.values());
  }
}
