import { describe, expect, it } from 'vitest';
import {
  cpuByRole,
  type ProcessStat,
  parseProcStat,
  readProcesses,
  rolesOf,
} from '../../../bench/processCpu.js';

describe('parseProcStat()', () => {
  it('reads the parent and utime + stime (in ticks of 10 ms) after the name', () => {
    const stat = '4242 (node) S 4000 4242 4000 0 -1 4194304 1000 0 0 0 150 25 0 0 20 0 11 0 5000 1 2 3';
    expect(parseProcStat(stat)).toEqual({ pid: 4242, ppid: 4000, comm: 'node', cpuMs: 1_750 });
  });

  it('takes a name with spaces and parentheses whole', () => {
    const stat = '7 (moto (server) x) R 1 7 1 0 -1 0 0 0 0 0 3 4 0 0';
    expect(parseProcStat(stat)).toMatchObject({ pid: 7, ppid: 1, comm: 'moto (server) x', cpuMs: 70 });
  });

  it('gives up on text that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('x (y) R z')).toBeUndefined();
  });
});

const proc = (pid: number, ppid: number, comm: string, cpuMs = 0): ProcessStat => ({
  pid,
  ppid,
  comm,
  cpuMs,
});

describe('rolesOf()', () => {
  it('labels the bench, its worker, moto, DynamoDB Local and their children; ignores other processes', () => {
    const processes = [
      proc(1, 0, 'init'),
      proc(100, 1, 'node'),
      proc(101, 100, 'node'),
      proc(102, 101, 'esbuild'),
      proc(103, 100, 'sh'),
      proc(104, 103, 'moto_server'),
      proc(105, 104, 'python3'),
      proc(106, 100, 'java'),
      proc(200, 1, 'vitest'),
    ];
    const roles = rolesOf(processes, 100, 101);
    expect(Object.fromEntries(roles)).toEqual({
      100: 'gateway',
      101: 'worker',
      102: 'worker',
      103: 'other',
      104: 'moto',
      105: 'moto',
      106: 'dynamodb-local',
    });
  });
});

describe('cpuByRole()', () => {
  it('sums the CPU each role used between two snapshots, a new process from 0', () => {
    const roles = new Map([
      [100, 'gateway' as const],
      [101, 'worker' as const],
      [104, 'moto' as const],
      [105, 'moto' as const],
    ]);
    const before = [
      proc(100, 1, 'node', 1_000),
      proc(101, 100, 'node', 500),
      proc(104, 100, 'moto_server', 10),
    ];
    const after = [
      proc(100, 1, 'node', 1_200),
      proc(101, 100, 'node', 900),
      proc(104, 100, 'moto_server', 60),
      proc(105, 104, 'python3', 30),
      proc(300, 1, 'unrelated', 9_999),
    ];
    expect(cpuByRole(before, after, roles)).toEqual({ gateway: 200, worker: 400, moto: 80 });
  });
});

describe('readProcesses()', () => {
  it.runIf(process.platform === 'linux')('finds this process with its parent', () => {
    const self = readProcesses().find((entry) => entry.pid === process.pid);
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(self!.cpuMs).toBeGreaterThan(0);
  });
});
