import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when `cfn-lint` (pip package cfn-lint, on the machine's Python) answers; the tests skip otherwise, saying so. */
export const cfnLintInstalled = (() => {
  try {
    execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The findings of `cfn-lint` on a template file, one `Rule: message` line each. `ignore` names rules to
 * leave out (e.g. W3005, osls's own redundant DependsOn).
 */
export async function cfnLint(file: string, ignore: readonly string[] = []): Promise<string[]> {
  const args = [
    '--format',
    'parseable',
    ...(ignore.length > 0 ? ['--ignore-checks', ...ignore] : []),
    '--',
    file,
  ];
  try {
    await run('cfn-lint', args, { maxBuffer: 16 * 1024 * 1024 });
    return [];
  } catch (error) {
    const { stdout, code } = error as { stdout?: string; code?: unknown };
    // cfn-lint exits with a bit mask of the levels it found (2 error, 4 warning, 8 info); anything else failed.
    if (typeof code !== 'number' || stdout === undefined) throw error;
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(':').slice(5).join(':'));
  }
}
