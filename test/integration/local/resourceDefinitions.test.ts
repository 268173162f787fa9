// biome-ignore-all lint/suspicious/noTemplateCurlyInString: serverless.yml variables are literal `${…}` strings.
import { describe, expect, it } from 'vitest';
import { planResources } from '../../../infra/local/resources/provisionResources.js';
import { resolveVariables, type VariableContext } from '../../../infra/local/resources/resolveVariables.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const options = { region: 'us-east-1', stage: 'local', accountId: '123456789012' };

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
    expect(plan.names).toEqual({ S3IR_DESIRED_TABLE: 's3ir-desired-state', S3IR_AUDIT_TABLE: 's3ir-audit' });
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
    self: { custom: { prefix: 's3ir', table: '${self:custom.prefix}-${opt:stage}' } },
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

  it('refuses a variable without a value or fallback, and unknown sources', () => {
    expect(() => resolveVariables('${env:MISSING}', context)).toThrow(/no value/);
    expect(() => resolveVariables('${ssm:/param}', context)).toThrow(/unsupported/);
  });
});
