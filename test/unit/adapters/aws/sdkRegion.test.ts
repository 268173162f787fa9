import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkRegion } from '../../../../lib/adapters/aws/sdkRegion.js';

const NAMES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE'] as const;
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function useConfig(
  text: string | undefined,
  env: Partial<Record<(typeof NAMES)[number], string>> = {},
) {
  for (const name of NAMES) delete process.env[name];
  const dir = await mkdtemp(join(tmpdir(), 's3ir-region-'));
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  if (text !== undefined) await writeFile(process.env.AWS_CONFIG_FILE, text);
  Object.assign(process.env, env);
}

describe('sdkRegion()', () => {
  const config = '[default]\nregion = eu-central-1\n[profile other]\nregion = ap-south-1\n';

  it("takes AWS_REGION, else the profile's region in the config file, as the SDK does", async () => {
    await useConfig(config, { AWS_REGION: 'eu-west-3' });
    expect(await sdkRegion()).toBe('eu-west-3');
    await useConfig(config);
    expect(await sdkRegion()).toBe('eu-central-1');
    await useConfig(config, { AWS_PROFILE: 'other' });
    expect(await sdkRegion()).toBe('ap-south-1');
  });

  it('is undefined when nothing names a region', async () => {
    await useConfig(undefined);
    expect(await sdkRegion()).toBeUndefined();
    await useConfig('[profile other]\nregion = ap-south-1\n');
    expect(await sdkRegion()).toBeUndefined();
  });
});
