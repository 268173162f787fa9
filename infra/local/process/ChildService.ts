import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from '../logger.js';
import { startOrphanReaper } from './orphanReaper.js';

/** Options of {@link ChildService.spawn}. */
export interface ChildServiceOptions {
  /** Name in logs and errors (`moto`, `DynamoDB Local`). */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** How many lines of output to keep for error messages (default 40). */
  keepLines?: number;
}

const live = new Set<ChildService>();
let exitHookInstalled = false;

/** Last resort: a parent that exits without `stop()` still takes its children down (no orphans). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', function killChildServicesOnExit() {
    for (const service of live) service.killNow();
  });
}

/**
 * One child process of the local AWS, in its own process group so that stopping it also stops
 * anything it started, and so that a terminal's Ctrl+C reaches only us (we stop it in order).
 * No orphans: `stop()`, a synchronous SIGKILL on `exit`, and an orphan reaper for a parent killed
 * outright. Keeps the tail of its output for error messages and logs it at debug level.
 */
export class ChildService {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private readonly keepLines: number;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private spawnError: NodeJS.ErrnoException | undefined;
  private readonly exited: Promise<void>;

  private constructor(options: ChildServiceOptions) {
    this.name = options.name;
    this.keepLines = options.keepLines ?? 40;
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line);
        if (this.tail.length > this.keepLines) this.tail.shift();
        options.logger.debug(line);
      }
    };
    const reaper = this.child.pid === undefined ? undefined : startOrphanReaper(this.child.pid);
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        this.spawnError = error;
        this.exitInfo ??= { code: null, signal: null };
        live.delete(this);
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        reaper?.cancel();
        this.exitInfo = { code, signal };
        live.delete(this);
        resolve();
      });
    });
    live.add(this);
    installExitHook();
  }

  /** Starts the process; spawn failures (ENOENT) surface through {@link spawnFailure}. */
  static spawn(options: ChildServiceOptions): ChildService {
    return new ChildService(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The spawn error, once known (ENOENT when the command does not exist). */
  get spawnFailure(): NodeJS.ErrnoException | undefined {
    return this.spawnError;
  }

  /** Why the process is gone, or undefined while it runs. */
  get exitReason(): string | undefined {
    if (this.spawnError) return `could not run it (${this.spawnError.code ?? this.spawnError.message})`;
    if (!this.exitInfo) return undefined;
    const { code, signal } = this.exitInfo;
    return signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
  }

  get exitCode(): number | null | undefined {
    return this.exitInfo?.code;
  }

  /** The last lines the process printed. */
  output(): string {
    return this.tail.join('\n');
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exitInfo) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous SIGKILL, for the process `exit` hook. */
  killNow(): void {
    if (!this.exitInfo) this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone; fall back to the process itself.
      this.child.kill(signal);
    }
  }
}
