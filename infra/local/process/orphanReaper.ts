import { spawn } from 'node:child_process';

// Polls the parent once a second; once it is gone, kills the child's whole process group.
const script = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -KILL "-$2" 2>/dev/null';

/**
 * Guards against orphans when this process dies without running any handler (SIGKILL, a crash of
 * the runtime): a tiny detached `sh` that kills the child's process group once this process is gone.
 * `cancel()` it when the child is stopped normally.
 */
export function startOrphanReaper(childPid: number): { cancel(): void } {
  const reaper = spawn('sh', ['-c', script, 's3ir-local-reaper', String(process.pid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.on('error', () => {
    // Without sh there is no guard; the normal stop paths still work.
  });
  reaper.unref();
  return {
    cancel: () => {
      if (reaper.exitCode === null && reaper.signalCode === null) reaper.kill('SIGKILL');
    },
  };
}
