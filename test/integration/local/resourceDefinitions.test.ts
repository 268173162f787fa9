// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml variables are literal `${…}` strings.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ResourceDefinitionError } from '../../../infra/local/errors.js';
import { planResources } from '../../../infra/local/resources/planResources.js';
import { resolveVariables, type VariableContext } from '../../../infra/local/resources/resolveVariables.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const serverlessFile = `${repoRoot}serverless.yml`;
const resourcesDir = `${repoRoot}infra/resources`;
const options = { region: 'us-east-1', stage: 'local', accountId: '123456789012' };

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A temporary folder holding the given files. */
async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3ir-resources-'));
  dirs.push(dir);
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return dir;
}

/** The reconcile queues as sqs-reconcile-queue.yml would define them without serverless.yml's `extensions`. */
const queuesWithParam = `
ReconcileDeadLetterQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: \${self:custom.reconcileDeadLetterQueue}
ReconcileQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: \${self:custom.reconcileQueue}
    RedrivePolicy:
      deadLetterTargetArn: { 'Fn::GetAtt': [ReconcileDeadLetterQueue, Arn] }
      maxReceiveCount: \${param:maxReceiveCount}
`;

describe('planResources()', () => {
  it('reads the desired-state table from infra/resources with the name serverless.yml gives it', async () => {
    const plan = await planResources(`${repoRoot}serverless.yml`, `${repoRoot}infra/resources`, {
      env: {},
      options,
    });
    const table = plan.definitions.find((definition) => definition.logicalId === 'DesiredStateTable');
    expect(table?.type).toBe('AWS::DynamoDB::Table');
    expect(table?.properties).toMatchObject({
      TableName: 's3ir-desired-state',
      KeySchema: [
        { AttributeName: 'bucket', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
    });
    expect(plan.names).toEqual({
      S3IR_DESIRED_TABLE: 's3ir-desired-state',
      S3IR_STATE_TABLE: 's3ir-state',
      S3IR_AUDIT_TABLE: 's3ir-audit',
    });
  });

  it('plans every resource of the top-level infra/resources files, none of the deploy-only iam/ and kms/ ones', async () => {
    const plan = await planResources(serverlessFile, resourcesDir, { env: {}, options });
    const files = (await readdir(resourcesDir)).filter((name) => name.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const defined = await Promise.all(
      files.map(async (name) => Object.keys(parse(await readFile(join(resourcesDir, name), 'utf8')))),
    );
    expect(plan.definitions.map(({ logicalId }) => logicalId).sort()).toEqual(defined.flat().sort());
    expect(plan.definitions.map(({ type }) => type)).not.toContain('AWS::IAM::Role');
    expect(plan.definitions.map(({ type }) => type)).not.toContain('AWS::KMS::Key');
    // The env's queues and topic, as serverless.yml's provider.environment names them.
    expect(plan.envResources).toEqual({
      alertTopic: 'AlertTopic',
      queue: 'ReconcileQueue',
      deadLetterQueue: 'ReconcileDeadLetterQueue',
    });
    const queue = plan.definitions.find(({ logicalId }) => logicalId === 'ReconcileQueue');
    expect(queue?.properties).toMatchObject({
      QueueName: 's3ir-reconcile',
      VisibilityTimeout: 720,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
  });

  it('resolves ${param:…} in resource files from serverless.yml params (stage section, then default)', async () => {
    const dir = await folderWith({ 'queues.yml': queuesWithParam });
    const byDefault = await planResources(serverlessFile, dir, { env: {}, options });
    const queue = (plan: typeof byDefault) =>
      plan.definitions.find(({ logicalId }) => logicalId === 'ReconcileQueue')?.properties;
    expect(queue(byDefault)).toMatchObject({
      QueueName: 's3ir-reconcile',
      RedrivePolicy: { maxReceiveCount: 5 },
    });

    const serverless = await folderWith({
      'serverless.yml': [
        'params:',
        '  default: { maxReceiveCount: 5 }',
        '  local: { maxReceiveCount: 2 }',
        'custom: { reconcileQueue: s3ir-reconcile, reconcileDeadLetterQueue: s3ir-reconcile-dead }',
      ].join('\n'),
    });
    const local = await planResources(join(serverless, 'serverless.yml'), dir, { env: {}, options });
    expect(queue(local)).toMatchObject({ RedrivePolicy: { maxReceiveCount: 2 } });
    const prod = await planResources(join(serverless, 'serverless.yml'), dir, {
      env: {},
      options: { ...options, stage: 'prod' },
    });
    expect(queue(prod)).toMatchObject({ RedrivePolicy: { maxReceiveCount: 5 } });
    // Without provider.environment, the queue named s3ir-reconcile; its DLQ by the RedrivePolicy.
    expect(local.envResources).toMatchObject({
      queue: 'ReconcileQueue',
      deadLetterQueue: 'ReconcileDeadLetterQueue',
    });
  });

  it('refuses resource files without a reconcile queue and its dead-letter queue, naming what is missing', async () => {
    const noQueue = await folderWith({ 'table.yml': 'T:\n  Type: AWS::DynamoDB::Table\n  Properties: {}\n' });
    await expect(planResources(serverlessFile, noQueue, { env: {}, options })).rejects.toThrow(
      /no reconcile queue \(S3IR_QUEUE_URL\)/,
    );
    const noDeadLetters = await folderWith({
      'queue.yml': 'ReconcileQueue:\n  Type: AWS::SQS::Queue\n  Properties: { QueueName: s3ir-reconcile }\n',
    });
    const refusal = planResources(serverlessFile, noDeadLetters, { env: {}, options });
    await expect(refusal).rejects.toBeInstanceOf(ResourceDefinitionError);
    await expect(refusal).rejects.toThrow(/RedrivePolicy\.deadLetterTargetArn.*S3IR_DLQ_URL/);
  });

  it('takes the table name from S3IR_DESIRED_TABLE, as a deployment would', async () => {
    const plan = await planResources(`${repoRoot}serverless.yml`, `${repoRoot}infra/resources`, {
      env: { S3IR_DESIRED_TABLE: 'team-desired' },
      options,
    });
    const table = plan.definitions.find((definition) => definition.logicalId === 'DesiredStateTable');
    expect(table?.properties.TableName).toBe('team-desired');
    expect(plan.names.S3IR_DESIRED_TABLE).toBe('team-desired');
  });
});

describe('resolveVariables()', () => {
  const context: VariableContext = {
    self: {
      custom: { prefix: 's3ir', table: '${self:custom.prefix}-${opt:stage}' },
      params: {
        default: { retries: 5, rate: 'rate(1 hour)', name: '${self:custom.prefix}-q' },
        local: { retries: 2 },
      },
    },
    env: { ONLY: 'set' },
    options,
  };

  it('resolves nested self, env with fallbacks, opt, sls and aws variables', () => {
    expect(
      resolveVariables(
        {
          a: '${self:custom.table}',
          b: "${env:MISSING, 'fallback'}",
          c: ['${env:ONLY}', '${aws:region}/${sls:stage}'],
        },
        context,
      ),
    ).toEqual({ a: 's3ir-local', b: 'fallback', c: ['set', 'us-east-1/local'] });
  });

  it('resolves ${param:…} from the stage section, then default, and ${self:params.default.…}', () => {
    expect(
      resolveVariables(
        {
          retries: '${param:retries}',
          rate: '${param:rate}',
          name: '${param:name}',
          fallback: "${param:missing, 'none'}",
          pinned: '${self:params.default.retries}',
        },
        context,
      ),
    ).toEqual({ retries: 2, rate: 'rate(1 hour)', name: 's3ir-q', fallback: 'none', pinned: 5 });
    const prod = { ...context, options: { ...options, stage: 'prod' } };
    expect(resolveVariables('${param:retries}', prod)).toBe(5);
    expect(() => resolveVariables('${param:missing}', context)).toThrow(/no value/);
  });

  it('refuses a variable without a value or fallback, and unknown sources', () => {
    expect(() => resolveVariables('${env:MISSING}', context)).toThrow(/no value/);
    expect(() => resolveVariables('${ssm:/param}', context)).toThrow(/unsupported/);
  });
});
