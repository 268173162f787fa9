import { describe, expect, it } from 'vitest';
import {
  acceptedTemplateItems,
  refusalLines,
  templateRefusals,
} from '../../../../lib/core/desired/templateRefusals.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const valid = (id: string, match: Record<string, unknown> = { names: ['logs-*'] }) => ({
  bucket: '#templates',
  id,
  template: { name: id, match, inventories: [makeConfiguration({ Id: id })] },
});

describe('templateRefusals', () => {
  it('names each refused template and the field, sorted by id, and passes valid ones and other items over', () => {
    const items = [
      valid('ok'),
      valid('glob', { names: ['logs-['] }),
      valid('accounts', { names: ['logs-*'], accounts: ['12'] }),
      valid('regions', { names: ['logs-*'], regions: ['mars-1'] }),
      valid('matcher', { names: ['logs-*'], owners: ['x'] }),
      { ...valid('renamed'), template: { ...valid('renamed').template, name: 'other' } },
      { bucket: 'photos', id: 'daily', configuration: 'not a configuration' },
    ];
    const refusals = templateRefusals(items);
    expect(refusals.map((refusal) => [refusal.id, refusal.issues.map((issue) => issue.path)])).toEqual([
      ['accounts', ['template.match.accounts[0]']],
      ['glob', ['template.match.names[0]']],
      ['matcher', ['template.match.owners']],
      ['regions', ['template.match.regions[0]']],
      ['renamed', ['template.name']],
    ]);
    expect(refusals.find((refusal) => refusal.id === 'renamed')?.reason).toBe(
      'template.name: expected "renamed" (the item\'s id), got "other"',
    );
  });

  it('refuses an invalid configuration inside a template, naming its path', () => {
    const item = valid('hourly');
    item.template.inventories[0] = {
      ...item.template.inventories[0]!,
      Schedule: { Frequency: 'Hourly' },
    } as never;
    const [refusal] = templateRefusals([item]);
    expect(refusal?.id).toBe('hourly');
    expect(refusal?.reason).toMatch(/^template\.inventories\[0\]\.Schedule\.Frequency: /);
  });

  it('keeps only the templates it does not refuse', () => {
    const items = [valid('ok'), valid('glob', { names: ['logs-['] }), valid('also-ok', { names: ['x-*'] })];
    expect(acceptedTemplateItems(items).map((item) => item.id)).toEqual(['ok', 'also-ok']);
  });

  it('says nothing of a table whose templates are all valid', () => {
    expect(templateRefusals([valid('ok'), valid('two', { tags: { team: 'a' } })])).toEqual([]);
  });

  it('makes one line per refusal naming the template', () => {
    expect(refusalLines([{ id: 'glob', reason: 'template.match.names[0]: bad', issues: [] }])).toEqual([
      'template "glob" refused: template.match.names[0]: bad',
    ]);
  });
});
