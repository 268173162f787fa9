import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { MachineInfo } from './types.js';

/** The machine the numbers were measured on, with its load when the run started. */
export function machineInfo(): MachineInfo {
  const cores = cpus();
  const [one, five, fifteen] = loadavg();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryMiB: Math.round(totalmem() / (1024 * 1024)),
    freeMemoryMiB: Math.round(freemem() / (1024 * 1024)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: [round(one ?? 0), round(five ?? 0), round(fifteen ?? 0)],
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Busy and total CPU time of all cores so far, in ms. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const sum = times.user + times.nice + times.sys + times.idle + times.irq;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total };
}

/**
 * Measures how busy the machine is between construction and `stop()`: the busy share of all cores
 * (0–1), whoever used them. Near 1 means the measurement was bound by CPU, not by the injected latency.
 */
export class MachineCpu {
  private readonly start = cpuTimes();

  stop(): number {
    const end = cpuTimes();
    const total = end.total - this.start.total;
    return total > 0 ? (end.busy - this.start.busy) / total : 0;
  }
}
