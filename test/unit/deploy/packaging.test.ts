import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS } from '../../../infra/local/constants.js';
import { planResources } from '../../../infra/local/resources/planResources.js';
import { crc32, zipFiles } from '../../../scripts/zipFiles.mjs';
import { importGraph, relativeImports } from './importGraph.js';
import { oslsInstalled, type PackagedService, packageService, repoRoot } from './packageService.js';
import { properties, resourcesOfType, type Template } from './template.js';
import { readZip } from './zipEntries.js';

/** Properties that name a resource in the account (and so collide between two stages). */
const NAME_PROPERTIES = [
  'TableName',
  'QueueName',
  'TopicName',
  'AliasName',
  'RoleName',
  'FunctionName',
  'LogGroupName',
  'Name',
];

/** Every literal resource name of the template: `Fn::Sub` strings included, references left out. */
function resourceNames(template: Template): Array<{ id: string; property: string; name: string }> {
  return Object.entries(template.Resources).flatMap(([id, resource]) =>
    NAME_PROPERTIES.flatMap((property) => {
      const value = resource.Properties?.[property];
      const name =
        typeof value === 'string' ? value : (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
      return typeof name === 'string' ? [{ id, property, name }] : [];
    }),
  );
}

const localContext = (stage: string) => ({
  env: {},
  options: { region: 'us-east-1', stage, accountId: '123456789012' },
});
const planFor = (stage: string) =>
  planResources(join(repoRoot, 'serverless.yml'), join(repoRoot, 'infra/resources'), localContext(stage));

describe('the local AWS reads the stage-aware names of serverless.yml', () => {
  it('keeps the plain names, the Contract’s defaults, for stage local', async () => {
    const plan = await planFor(LOCAL_DEFAULTS.stage);
    expect(plan.names).toMatchObject({
      S3IR_DESIRED_TABLE: LOCAL_DEFAULTS.desiredTable,
      S3IR_AUDIT_TABLE: LOCAL_DEFAULTS.auditTable,
    });
    // Any other name bound to an env var (the state table, …) is plain too: `s3ir-<what>`.
    for (const [env, name] of Object.entries(plan.names)) expect(name, env).toMatch(/^s3ir-(?!local-)/);
    const names = Object.fromEntries(
      plan.definitions.map((definition) => [
        definition.logicalId,
        definition.properties.TableName ?? definition.properties.QueueName ?? definition.properties.TopicName,
      ]),
    );
    expect(names).toMatchObject({
      DesiredStateTable: 's3ir-desired-state',
      AuditTable: 's3ir-audit',
      ReconcileQueue: LOCAL_DEFAULTS.reconcileQueueName,
      ReconcileDeadLetterQueue: 's3ir-reconcile-dlq',
      AlertTopic: LOCAL_DEFAULTS.alertTopicName,
    });
  });

  it('lets S3IR_DESIRED_TABLE name the table, and binds it in the env it writes', async () => {
    const plan = await planResources(join(repoRoot, 'serverless.yml'), join(repoRoot, 'infra/resources'), {
      ...localContext('local'),
      env: { S3IR_DESIRED_TABLE: 'team-desired' },
    });
    expect(plan.names.S3IR_DESIRED_TABLE).toBe('team-desired');
    expect(plan.definitions.find((d) => d.logicalId === 'DesiredStateTable')?.properties.TableName).toBe(
      'team-desired',
    );
  });
});

describe('zip archives and imports (the readers the packaging test relies on)', () => {
  it('reads back what scripts/zipFiles.mjs writes: names, bytes, mode 0644', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 's3ir-zip-'));
    try {
      const files = [
        { name: 'functions/a.mjs', data: Buffer.from('import"../chunk-1.mjs";export const handler=1;') },
        { name: 'chunk-1.mjs', data: Buffer.from('x'.repeat(10_000)) },
        { name: 'empty.mjs', data: Buffer.alloc(0) },
      ];
      const zip = zipFiles(files);
      await writeFile(join(dir, 'a.zip'), zip);
      const entries = await readZip(join(dir, 'a.zip'));
      expect(entries.map(({ name, data, mode }) => ({ name, data: data.toString(), mode }))).toEqual([
        { name: 'chunk-1.mjs', data: 'x'.repeat(10_000), mode: 0o100644 },
        { name: 'empty.mjs', data: '', mode: 0o100644 },
        { name: 'functions/a.mjs', data: files[0]!.data.toString(), mode: 0o100644 },
      ]);
      // Reproducible: the same files give the same bytes whatever their order.
      expect(zipFiles([...files].reverse()).equals(zip)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('finds static, side-effect, re-export and dynamic relative imports, not bare ones', () => {
    const source =
      'import { createRequire as r } from \'node:module\';import{a as b}from"../chunk-A.mjs";import"./c-B.mjs";' +
      'export{x}from"./d-C.mjs";const s=()=>import("./sns-D.mjs");';
    expect(relativeImports(source)).toEqual([
      { specifier: '../chunk-A.mjs', dynamic: false },
      { specifier: './c-B.mjs', dynamic: false },
      { specifier: './d-C.mjs', dynamic: false },
      { specifier: './sns-D.mjs', dynamic: true },
    ]);
  });

  it('walks the graph from the handler, and tells what loads only on first use', () => {
    const files = new Map([
      ['functions/h.mjs', 'import"../a.mjs";const l=()=>import("../b.mjs");'],
      ['a.mjs', 'export const a=1;'],
      ['b.mjs', 'import"./c.mjs";import"./gone.mjs";'],
      ['c.mjs', ''],
      ['other.mjs', ''],
    ]);
    const graph = importGraph(files, 'functions/h.mjs');
    expect([...graph.reached].sort()).toEqual(['a.mjs', 'b.mjs', 'c.mjs', 'functions/h.mjs']);
    expect([...graph.dynamicOnly].sort()).toEqual(['b.mjs', 'c.mjs']);
    expect(graph.missing).toEqual(['b.mjs → gone.mjs']);
  });
});

const title = oslsInstalled
  ? 'osls package --stage ci: names and function zips'
  : 'osls package (skipped: osls is not installed; run `npm install`)';

describe.skipIf(!oslsInstalled)(title, () => {
  let packaged: PackagedService | undefined;
  let template: Template;

  beforeAll(async () => {
    packaged = await packageService('ci');
    template = packaged.template;
  }, 300_000);
  afterAll(async () => packaged?.cleanup());

  describe('resource names carry the stage', () => {
    it('names the tables, queues and topic s3ir-ci-…', () => {
      expect({
        desired: properties(template, 'DesiredStateTable').TableName,
        audit: properties(template, 'AuditTable').TableName,
        queue: properties(template, 'ReconcileQueue').QueueName,
        deadLetterQueue: properties(template, 'ReconcileDeadLetterQueue').QueueName,
        topic: properties(template, 'AlertTopic').TopicName,
        topicKeyAlias: properties(template, 'AlertTopicKeyAlias').AliasName,
      }).toEqual({
        desired: 's3ir-ci-desired-state',
        audit: 's3ir-ci-audit',
        queue: 's3ir-ci-reconcile',
        deadLetterQueue: 's3ir-ci-reconcile-dlq',
        topic: 's3ir-ci-alerts',
        topicKeyAlias: 'alias/s3ir-ci-alerts',
      });
    });

    it('puts the stage in every name of the template (tables, queues, topic, alias, roles, functions, logs, rules, API)', () => {
      const names = resourceNames(template);
      expect(names.filter(({ property }) => property === 'TableName').length).toBeGreaterThanOrEqual(2);
      const withoutStage = names.filter(({ name }) => !name.split(/[-/]/).includes('ci'));
      expect(withoutStage).toEqual([]);
    });

    it('passes the stage’s table names to every function', () => {
      for (const [id] of resourcesOfType(template, 'AWS::Lambda::Function')) {
        const variables = (properties(template, id).Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(variables, id).toMatchObject({
          S3IR_DESIRED_TABLE: 's3ir-ci-desired-state',
          S3IR_AUDIT_TABLE: 's3ir-ci-audit',
        });
      }
    });

    it('resolves the same names locally as osls does, for the same stage', async () => {
      const plan = await planFor('ci');
      for (const definition of plan.definitions) {
        for (const property of NAME_PROPERTIES.filter((name) => name in definition.properties))
          expect(definition.properties[property], `${definition.logicalId}.${property}`).toEqual(
            properties(template, definition.logicalId)[property],
          );
      }
      expect(plan.names).toMatchObject({
        S3IR_DESIRED_TABLE: properties(template, 'DesiredStateTable').TableName,
        S3IR_AUDIT_TABLE: properties(template, 'AuditTable').TableName,
      });
      // Every name the local AWS binds to an env var is one the stack deploys.
      const deployed = resourceNames(template).map(({ name }) => name);
      for (const [env, name] of Object.entries(plan.names)) expect(deployed, env).toContain(name);
    });
  });

  describe('each function’s zip holds exactly what its handler imports', () => {
    const functionsOf = () =>
      resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
        const props = fn.Properties as { Handler: string; Code: { S3Key: string } };
        return { id, handler: props.Handler, zip: props.Code.S3Key.split('/').at(-1)! };
      });

    it('packages eight functions, each from its own zip', () => {
      const zips = functionsOf().map(({ zip }) => zip);
      expect(zips.sort()).toEqual(
        [
          'auditAnchor',
          'auditApi',
          'deliveryCheck',
          'desiredChange',
          'discover',
          'reconcile',
          's3Change',
          'schedule',
        ].map((name) => `${name}.zip`),
      );
    });

    it('contains the handler file and every file its import graph reaches, and nothing else', async () => {
      for (const { id, handler, zip } of functionsOf()) {
        const entries = await readZip(join(packaged!.outputDir, zip));
        const files = new Map(entries.map((entry) => [entry.name, entry.data.toString('utf8')]));
        const handlerFile = `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`;
        expect(files.has(handlerFile), `${id}: ${handlerFile} in ${zip}`).toBe(true);
        const graph = importGraph(files, handlerFile);
        expect(graph.missing, id).toEqual([]);
        expect([...files.keys()].sort(), id).toEqual([...graph.reached].sort());
        for (const entry of entries) expect(entry.mode, `${id}: ${entry.name}`).toBe(0o100644);
      }
    });

    it('keeps code splitting: what a handler loads on first use (the SDK clients) is not loaded at init', async () => {
      for (const { id, handler, zip } of functionsOf()) {
        const entries = await readZip(join(packaged!.outputDir, zip));
        const files = new Map(entries.map((entry) => [entry.name, entry.data.toString('utf8')]));
        const graph = importGraph(files, `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`);
        expect(graph.dynamicOnly.size, id).toBeGreaterThan(0);
      }
    });

    it('shares no chunk file between two functions’ builds (no other function’s code)', async () => {
      const owners = new Map<string, string[]>();
      for (const { zip } of functionsOf()) {
        for (const { name } of await readZip(join(packaged!.outputDir, zip)))
          owners.set(name, [...(owners.get(name) ?? []), zip]);
      }
      const handlerFiles = functionsOf().map(
        ({ handler }) => `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`,
      );
      for (const file of handlerFiles) expect(owners.get(file), file).toHaveLength(1);
    });
  });
});
