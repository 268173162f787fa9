import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cfnLint, cfnLintInstalled } from './cfnLint.js';
import { type DeployContext, evaluate } from './evaluate.js';
import { repoRoot } from './packageService.js';
import { actionResources, actionsOf, type Statement, type Template } from './template.js';

const FILE = `${repoRoot}infra/member-account.yml`;
const HOME = '111111111111';
const MEMBER = '222222222222';
const RECONCILE_ARN = `arn:aws:iam::${HOME}:role/s3ir-prod-us-east-1-reconcile`;
const DELIVERY_ARN = `arn:aws:iam::${HOME}:role/s3ir-prod-us-east-1-delivery-check`;

let template: Template;
beforeAll(async () => {
  template = parse(await readFile(FILE, 'utf8')) as Template;
});

/** The template's two roles as CloudFormation creates them in MEMBER with these parameters. */
function deploy(destinationBuckets: string[] | undefined, reconcilePrincipals = [RECONCILE_ARN]) {
  const context: DeployContext = {
    accountId: MEMBER,
    parameters: {
      HomeAccountId: HOME,
      ReconcilePrincipalArns: reconcilePrincipals,
      ReadPrincipalArns: [DELIVERY_ARN],
      ...(destinationBuckets ? { DestinationBuckets: destinationBuckets } : {}),
    },
  };
  const role = (id: string) =>
    evaluate<{
      RoleName: string;
      AssumeRolePolicyDocument: { Statement: Statement[] };
      Policies: Array<{ PolicyDocument: { Statement: Statement[] } }>;
    }>(template.Resources[id]?.Properties, template, context);
  const withStatements = (id: string) => {
    const properties = role(id);
    return {
      ...properties,
      statements: properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement),
    };
  };
  return { reconcile: withStatements('ReconcileRole'), read: withStatements('ReadRole') };
}

const allowed = (statements: Statement[]) => actionResources(statements, 'Allow');

describe('infra/member-account.yml (StackSets: s3ir-reconcile and s3ir-read in a member account)', () => {
  const lint = 'is a template cfn-lint finds no fault in';
  it.skipIf(!cfnLintInstalled)(
    cfnLintInstalled ? lint : `${lint} (skipped: cfn-lint is not installed; pip install cfn-lint)`,
    async () => {
      expect(await cfnLint(FILE)).toEqual([]);
    },
  );

  it('creates exactly the two roles, named s3ir-reconcile and s3ir-read by default', () => {
    expect(Object.entries(template.Resources).map(([id, resource]) => [id, resource.Type])).toEqual([
      ['ReconcileRole', 'AWS::IAM::Role'],
      ['ReadRole', 'AWS::IAM::Role'],
    ]);
    const { reconcile, read } = deploy(['reports']);
    expect([reconcile.RoleName, read.RoleName]).toEqual(['s3ir-reconcile', 's3ir-read']);
  });

  it('lets each role be assumed only by the named service role of the home account (aws:PrincipalArn)', () => {
    const { reconcile, read } = deploy(['reports']);
    const trust = (principalArn: string) => [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${HOME}:root` },
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': [principalArn] } },
      },
    ];
    expect(reconcile.AssumeRolePolicyDocument.Statement).toMatchObject(trust(RECONCILE_ARN));
    expect(read.AssumeRolePolicyDocument.Statement).toMatchObject(trust(DELIVERY_ARN));
  });

  it("trusts the discover and schedule roles listed beside reconcile's, and documents their outputs (#18)", () => {
    const principals = [
      RECONCILE_ARN,
      `arn:aws:iam::${HOME}:role/s3ir-prod-us-east-1-discover`,
      `arn:aws:iam::${HOME}:role/s3ir-prod-us-east-1-schedule`,
    ];
    const { reconcile } = deploy(['reports'], principals);
    expect(reconcile.AssumeRolePolicyDocument.Statement).toMatchObject([
      { Condition: { ArnEquals: { 'aws:PrincipalArn': principals } } },
    ]);
    // The sweep's grant step (#18 point 4) writes this account's destination and key policies with it.
    const description = (template.Parameters as Record<string, { Description: string }>)
      .ReconcilePrincipalArns!.Description;
    for (const output of ['ReconcileRoleArn', 'DiscoverRoleArn', 'ScheduleRoleArn'])
      expect(description, output).toContain(output);
  });

  it('lets s3ir-reconcile write bucket policies on exactly the declared destination buckets', () => {
    const { reconcile } = deploy(['reports-central', 'inv-*']);
    const grants = allowed(reconcile.statements);
    expect(grants['s3:PutBucketPolicy']).toEqual(['arn:*:s3:::reports-central', 'arn:*:s3:::inv-*']);
    expect(grants['s3:DeleteBucketPolicy']).toEqual(['arn:*:s3:::reports-central', 'arn:*:s3:::inv-*']);
  });

  it('with no destination declared, denies every bucket policy write and every report read', () => {
    for (const { reconcile, read } of [deploy(undefined), deploy([''])]) {
      expect(allowed(reconcile.statements)['s3:PutBucketPolicy']).toBeUndefined();
      expect(actionResources(reconcile.statements, 'Deny')['s3:PutBucketPolicy']).toEqual(['arn:aws:s3:::*']);
      expect(actionResources(reconcile.statements, 'Deny')['s3:DeleteBucketPolicy']).toEqual([
        'arn:aws:s3:::*',
      ]);
      expect(allowed(read.statements)['s3:GetObject']).toBeUndefined();
      expect(actionResources(read.statements, 'Deny')['s3:GetObject']).toEqual(['arn:aws:s3:::*/*']);
    }
  });

  it('bounds every S3 grant to buckets this account owns (s3:ResourceAccount)', () => {
    const { reconcile, read } = deploy(['reports']);
    for (const statement of [...reconcile.statements, ...read.statements]) {
      if (statement.Effect !== 'Allow' || !actionsOf(statement).some((action) => action.startsWith('s3:')))
        continue;
      // Discovery's bucket listing (#18) names no bucket: nothing to bound, and it reads names only.
      if (statement.Sid === 'DiscoverBuckets') continue;
      expect(statement.Condition, statement.Sid).toEqual({ StringEquals: { 's3:ResourceAccount': MEMBER } });
    }
  });

  it('lets s3ir-reconcile put key policies only on its keys tagged s3ir:inventory-key=true, never bypassing the lockout check', () => {
    const { reconcile } = deploy(['reports']);
    const puts = reconcile.statements.filter((statement) =>
      actionsOf(statement).includes('kms:PutKeyPolicy'),
    );
    expect(puts).toEqual([
      {
        Sid: 'WriteTaggedKeyPolicies',
        Effect: 'Allow',
        Action: ['kms:PutKeyPolicy'],
        Resource: `arn:aws:kms:*:${MEMBER}:key/*`,
        Condition: { StringEquals: { 'aws:ResourceTag/s3ir:inventory-key': 'true' } },
      },
      {
        Sid: 'NeverBypassKeyPolicyLockoutCheck',
        Effect: 'Deny',
        Action: ['kms:PutKeyPolicy'],
        Resource: 'arn:aws:kms:*:*:key/*',
        Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
      },
    ]);
  });

  it('gives s3ir-read reads only: reports in the declared destinations, and the facts behind a failed delivery', () => {
    const { read } = deploy(['reports']);
    expect(allowed(read.statements)).toEqual({
      's3:ListBucket': ['arn:*:s3:::reports', 'arn:*:s3:::reports/*'],
      's3:GetObject': ['arn:*:s3:::reports', 'arn:*:s3:::reports/*'],
      's3:GetInventoryConfiguration': ['arn:aws:s3:::*'],
      's3:GetBucketPolicy': ['arn:aws:s3:::*'],
      's3:GetBucketLocation': ['arn:aws:s3:::*'],
      'kms:DescribeKey': [`arn:aws:kms:*:${MEMBER}:key/*`],
      'kms:GetKeyPolicy': [`arn:aws:kms:*:${MEMBER}:key/*`],
      // #18: the delivery check finds the member buckets templates select, as discovery does.
      's3:ListAllMyBuckets': ['*'],
      'tag:GetResources': ['*'],
    });
  });

  it("lets s3ir-read list the account's buckets and their tags for the delivery check, and nothing more on `*` (#18)", () => {
    const { read } = deploy(['reports']);
    expect(read.statements.filter((statement) => statement.Resource === '*')).toEqual([
      {
        Sid: 'DiscoverBuckets',
        Effect: 'Allow',
        Action: ['s3:ListAllMyBuckets', 'tag:GetResources'],
        Resource: '*',
      },
    ]);
    // Still no write of any kind.
    const actions = Object.keys(allowed(read.statements));
    expect(actions.filter((action) => /:(Put|Delete|Create|Update|Tag|Untag)/.test(action))).toEqual([]);
  });

  it('lets neither role assume any further role', () => {
    const { reconcile, read } = deploy(['reports']);
    for (const statements of [reconcile.statements, read.statements]) {
      expect(allowed(statements)['sts:AssumeRole']).toBeUndefined();
      expect(actionResources(statements, 'Deny')['sts:AssumeRole']).toEqual(['arn:aws:iam::*:role/*']);
    }
  });

  it("lets s3ir-reconcile list the account's buckets and their tags for discovery, and nothing more on `*` (#18)", () => {
    const { reconcile } = deploy(['reports']);
    expect(reconcile.statements.filter((statement) => statement.Resource === '*')).toEqual([
      {
        Sid: 'DiscoverBuckets',
        Effect: 'Allow',
        Action: ['s3:ListAllMyBuckets', 'tag:GetResources'],
        Resource: '*',
      },
    ]);
  });

  it("grants no wildcard action and no `*` resource but discovery's listing", () => {
    const { reconcile, read } = deploy(['reports']);
    for (const statement of [...reconcile.statements, ...read.statements]) {
      expect(
        actionsOf(statement).filter((action) => action.includes('*')),
        statement.Sid,
      ).toEqual([]);
      if (statement.Sid !== 'DiscoverBuckets') expect(statement.Resource, statement.Sid).not.toBe('*');
    }
  });
});
