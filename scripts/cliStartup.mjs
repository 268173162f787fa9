#!/usr/bin/env node
// How fast `s3ir` starts, as a ratio to `node -e 0` measured in the same run (README, "Start-up"): each
// command is spawned RUNS times, round-robin so that a change in the machine's load weighs on all alike, and
// the medians are compared. Usage: node scripts/cliStartup.mjs [RUNS]   (default 21)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const bin = fileURLToPath(new URL('../bin/s3ir.mjs', import.meta.url));
const commands = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 's3ir --version', args: ['--', bin, '--version'] },
  { name: 's3ir plan --help', args: ['--', bin, 'plan', '--help'] },
];

function timeMs(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

timeMs(commands[1].args); // a stale bundle is rebuilt on the first run: not what is measured
const times = commands.map(() => []);
for (let run = 0; run < runs; run++) {
  commands.forEach((command, index) => {
    times[index].push(timeMs(command.args));
  });
}
const base = median(times[0]);
for (const [index, command] of commands.entries()) {
  const value = median(times[index]);
  console.log(
    `${command.name.padEnd(18)} median ${value.toFixed(0).padStart(4)} ms  (min ${Math.min(...times[index]).toFixed(0)}, max ${Math.max(...times[index]).toFixed(0)})  ${(value / base).toFixed(2)}x node -e 0`,
  );
}
