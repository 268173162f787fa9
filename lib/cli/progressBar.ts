import type { CliIo } from './io.js';

const WIDTH = 30;

/**
 * A progress bar on stderr, `[#####.....] 3/10 buckets`, drawn only when stderr is a terminal; piped runs
 * get nothing extra. `done()` clears it, so the result prints on a clean line.
 */
export function progressBar(io: CliIo, noun = 'buckets') {
  let drawn = false;
  return {
    update(done: number, total: number): void {
      if (!io.stderrTty || total === 0) return;
      const filled = Math.round((done / total) * WIDTH);
      io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${noun}`);
      drawn = true;
    },
    done(): void {
      if (drawn) io.err('\r\u001b[2K');
      drawn = false;
    },
  };
}
