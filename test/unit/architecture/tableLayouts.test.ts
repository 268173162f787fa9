import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The modules that own each table's reserved keys; nothing else in lib/ may spell one. */
const OWNERS: Record<string, string> = {
  '#templates': 'lib/core/desired/desiredTableLayout.ts',
  '#bucket': 'lib/core/desired/desiredTableLayout.ts',
  '#status': 'lib/adapters/aws/stateTableLayout.ts',
  '#delivery': 'lib/adapters/aws/stateTableLayout.ts',
  '#outbox': 'lib/adapters/aws/stateTableLayout.ts',
  '#brake': 'lib/adapters/aws/stateTableLayout.ts',
  '#lease': 'lib/adapters/aws/stateTableLayout.ts',
  '#chain': 'lib/core/audit/constants.ts',
  '#doc#': 'lib/core/audit/constants.ts',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.generated.ts') ? [path] : [];
  });
}

/**
 * Quoted key literals (`'#status'`, `"#lease"`) in code. Comments may name a kind (they are left out), and an
 * expression placeholder used as an object key (`{ '#bucket': 'bucket' }`) names an attribute, not an item.
 */
function keyLiterals(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const key of Object.keys(OWNERS)) {
    const pattern = new RegExp(`['"]${key.replace(/[#]/g, '\\#')}['"](?!\\s*:)`, 'g');
    for (const _ of text.matchAll(pattern)) found.push(key);
  }
  return found;
}

describe('table layouts', () => {
  it('finds a quoted key but not a placeholder or a comment', () => {
    expect(keyLiterals("const a = { bucket: b, id: '#status' };")).toEqual(['#status']);
    expect(keyLiterals('Key: { bucket: "#lease", id }')).toEqual(['#lease']);
    expect(keyLiterals("ExpressionAttributeNames: { '#bucket': 'bucket' }")).toEqual([]);
    expect(keyLiterals("/** items `{ bucket: '#outbox', id }` */\n// id: '#status'\nconst x = 1;")).toEqual(
      [],
    );
  });

  it('spells every reserved key of the desired, state and audit tables only in the module that owns it', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(join(root, 'lib'))) {
      const path = relative(root, file).split('\\').join('/');
      for (const key of keyLiterals(readFileSync(file, 'utf8'))) {
        if (OWNERS[key] !== path) offences.push(`${path}: ${key} (owned by ${OWNERS[key]})`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('finds each key in its owner', () => {
    for (const [key, owner] of Object.entries(OWNERS)) {
      expect(keyLiterals(readFileSync(join(root, owner), 'utf8')), `${key} in ${owner}`).toContain(key);
    }
  });
});
