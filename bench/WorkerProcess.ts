import { type ChildProcess, fork } from 'node:child_process';
import { bundleWorker, type WorkerBundle } from './worker/bundleWorker.js';
import {
  WORKER_SETTINGS_VAR,
  type WorkerReply,
  type WorkerRequest,
  type WorkerSettings,
} from './worker/protocol.js';

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>;

/** The worker died or answered with an error: the message says which. */
export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerError';
  }
}

/**
 * The bench's worker process (bench/worker/worker.ts, bundled as the Lambdas are) seen from the main process: one
 * request at a time, each answered by the reply type it expects. Its stdout (the functions' logs) goes
 * to our stderr, so results printed on stdout stay clean.
 */
export class WorkerProcess {
  private readonly child: ChildProcess;
  private pending:
    | { type: string; resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }
    | undefined;
  private exited: Error | undefined;

  private constructor(child: ChildProcess, bundle: WorkerBundle) {
    this.child = child;
    child.on('message', (reply: WorkerReply) => this.receive(reply));
    child.on('exit', (code, signal) => {
      void bundle.remove();
      this.exited = new WorkerError(`the worker exited (${signal ?? `code ${code}`})`);
      this.pending?.reject(this.exited);
      this.pending = undefined;
    });
  }

  /** Bundles and forks the worker, and waits until its functions are loaded. */
  static async start(settings: WorkerSettings): Promise<{ worker: WorkerProcess; loadMs: number }> {
    const bundle = await bundleWorker();
    const child = fork(bundle.file, [], {
      // --expose-gc: the worker measures its retained heap after each sweep (a full GC, between sweeps).
      execArgv: ['--expose-gc'],
      env: { ...process.env, [WORKER_SETTINGS_VAR]: JSON.stringify(settings) },
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    const worker = new WorkerProcess(child, bundle);
    const ready = await worker.expect('ready');
    return { worker, loadMs: ready.loadMs };
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends `request` and waits for the reply of type `type`. */
  request<T extends WorkerReply['type']>(request: WorkerRequest, type: T): Promise<ReplyOf<T>> {
    const answer = this.expect(type);
    this.send(request);
    return answer;
  }

  /** Sends a request that has no reply. */
  send(request: WorkerRequest): void {
    if (this.exited) throw this.exited;
    this.child.send(request);
  }

  /** Asks for the peak RSS, then waits for the worker to exit (it leaves after answering). */
  async finish(): Promise<number> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const finished = await this.request({ type: 'finish' }, 'finished');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    return finished.maxRssMiB;
  }

  /** Kills the worker if it is still running (after an error). */
  kill(): void {
    if (!this.exited && this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private expect<T extends WorkerReply['type']>(type: T): Promise<ReplyOf<T>> {
    if (this.exited) return Promise.reject(this.exited);
    if (this.pending) return Promise.reject(new WorkerError(`already waiting for ${this.pending.type}`));
    return new Promise<ReplyOf<T>>((resolve, reject) => {
      this.pending = { type, resolve: resolve as (reply: WorkerReply) => void, reject };
    });
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    if (reply.type === 'error') pending.reject(new WorkerError(`the worker failed: ${reply.message}`));
    else if (reply.type !== pending.type) {
      pending.reject(new WorkerError(`expected ${pending.type} from the worker, got ${reply.type}`));
    } else pending.resolve(reply);
  }
}
