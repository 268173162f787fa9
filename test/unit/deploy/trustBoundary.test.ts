// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfnLint, cfnLintInstalled } from './cfnLint.js';
import { evaluate } from './evaluate.js';
import { EXPECTED_GRANTS } from './expectedGrants.js';
import { oslsInstalled, type PackagedService, packageService, repoRoot } from './packageService.js';
import { actionResources, actionsOf, properties, type Statement, type Template } from './template.js';

interface TrustBoundaryInput {
  allowedAccounts: string;
  destinationBuckets: string;
  crossAccountRole: string;
  readRole: string;
  organizationRoleArn?: string;
}
type Boundary = {
  template: { Conditions?: Record<string, unknown> };
  reconcile: Record<'writeDestinationPolicies' | 'assumeMemberRole', unknown>;
  deliveryCheck: Record<'readReports' | 'assumeMemberRole', unknown>;
  schedule: Record<
    'readOrganization' | 'listOrganizationParents' | 'writeDestinationPolicies' | 'assumeMemberRole',
    unknown
  >;
  discover: Record<'assumeMemberRole', unknown>;
};
const { trustBoundary } = createRequire(import.meta.url)(
  `${repoRoot}infra/resources/iam/trustBoundary.cjs`,
) as { trustBoundary: (input: TrustBoundaryInput) => Boundary };

const ROLES = Object.values(EXPECTED_GRANTS).map(({ role }) => role);
const HOME = '111111111111';
const MEMBER = '222222222222';
const OTHER_HOME = '333333333333';
const params = { allowedAccounts: `${HOME},${MEMBER}`, destinationBuckets: 'reports-central,inv-*' };

/** A role's statements as CloudFormation resolves them when the stack is deployed in `accountId`. */
const deployedStatements = (template: Template, role: string, accountId = HOME): Statement[] =>
  evaluate<Array<{ PolicyDocument: { Statement: Statement[] } }>>(
    properties(template, role).Policies,
    template,
    { accountId },
  ).flatMap((policy) => policy.PolicyDocument.Statement);

const allows = (statements: Statement[], action: string): Statement[] =>
  statements.filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));

describe.skipIf(!oslsInstalled)(
  oslsInstalled ? 'trust boundary in IAM (osls package)' : 'trust boundary (skipped: osls is not installed)',
  () => {
    let defaults: PackagedService | undefined;
    let bounded: PackagedService | undefined;

    beforeAll(async () => {
      defaults = await packageService('ci');
      bounded = await packageService('ci', params);
    }, 600_000);
    afterAll(async () => {
      await defaults?.cleanup();
      await bounded?.cleanup();
    });

    it('fails the package on a malformed param, naming it, before anything is built', async () => {
      await expect(packageService('ci', { destinationBuckets: 'reports,Bad_Name' })).rejects.toThrow(
        /param destinationBuckets: "Bad_Name" is neither a bucket name nor a name prefix ending in '\*'/,
      );
    }, 300_000);

    describe('by default (no destination declared, the home account alone)', () => {
      it("lets no role write a bucket policy, and denies it explicitly to reconcile and the schedule's grant step", () => {
        for (const role of ROLES) {
          const statements = deployedStatements(defaults!.template, role);
          expect(allows(statements, 's3:PutBucketPolicy'), role).toEqual([]);
          expect(allows(statements, 's3:DeleteBucketPolicy'), role).toEqual([]);
        }
        for (const role of ['ReconcileRole', 'ScheduleRole'])
          expect(
            deployedStatements(defaults!.template, role).find(
              (statement) => statement.Sid === 'NoDestinationDeclared',
            ),
            role,
          ).toEqual({
            Sid: 'NoDestinationDeclared',
            Effect: 'Deny',
            Action: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
            Resource: 'arn:aws:s3:::*',
          });
      });

      it('lets no role assume any role, denied explicitly to reconcile, delivery-check and schedule', () => {
        for (const role of ROLES)
          expect(allows(deployedStatements(defaults!.template, role), 'sts:AssumeRole'), role).toEqual([]);
        for (const role of ['ReconcileRole', 'DeliveryCheckRole', 'ScheduleRole'])
          expect(
            actionResources(deployedStatements(defaults!.template, role), 'Deny')['sts:AssumeRole'],
            role,
          ).toEqual(['arn:aws:iam::*:role/*']);
        expect(defaults!.template.Conditions).toBeUndefined();
      });

      it('lets delivery-check read no report object', () => {
        const statements = deployedStatements(defaults!.template, 'DeliveryCheckRole');
        expect(allows(statements, 's3:GetObject')).toEqual([]);
        expect(allows(statements, 's3:ListBucket')).toEqual([]);
        expect(actionResources(statements, 'Deny')['s3:GetObject']).toEqual(['arn:aws:s3:::*/*']);
      });
    });

    describe('key policies', () => {
      it.each(['defaults', 'bounded'])(
        'lets only reconcile and the schedule (its grant step) put a key policy, only on its account’s keys tagged s3ir:inventory-key=true (%s)',
        (name) => {
          const template = (name === 'defaults' ? defaults : bounded)!.template;
          for (const role of ROLES) {
            const puts = allows(deployedStatements(template, role), 'kms:PutKeyPolicy');
            if (role !== 'ReconcileRole' && role !== 'ScheduleRole') {
              expect(puts, role).toEqual([]);
              continue;
            }
            expect(puts, role).toEqual([
              {
                Sid: 'WriteTaggedKeyPolicies',
                Effect: 'Allow',
                Action: ['kms:PutKeyPolicy'],
                Resource: `arn:aws:kms:*:${HOME}:key/*`,
                Condition: { StringEquals: { 'aws:ResourceTag/s3ir:inventory-key': 'true' } },
              },
            ]);
          }
        },
      );

      it.each(['ReconcileRole', 'ScheduleRole'])(
        'denies %s any key policy write that bypasses the lockout safety check',
        (role) => {
          const deny = deployedStatements(bounded!.template, role).filter(
            (statement) => statement.Effect === 'Deny' && actionsOf(statement).includes('kms:PutKeyPolicy'),
          );
          expect(deny).toEqual([
            {
              Sid: 'NeverBypassKeyPolicyLockoutCheck',
              Effect: 'Deny',
              Action: ['kms:PutKeyPolicy'],
              Resource: 'arn:aws:kms:*:*:key/*',
              Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
            },
          ]);
        },
      );
    });

    describe(`with --param allowedAccounts=${params.allowedAccounts} destinationBuckets=${params.destinationBuckets}`, () => {
      it('passes the boundary to every function as S3IR_ALLOWED_ACCOUNTS, S3IR_DESTINATION_BUCKETS, S3IR_READ_ROLE', () => {
        for (const id of Object.keys(EXPECTED_GRANTS)) {
          const variables = (properties(bounded!.template, id).Environment as { Variables: object })
            .Variables;
          expect(variables, id).toMatchObject({
            S3IR_ALLOWED_ACCOUNTS: params.allowedAccounts,
            S3IR_DESTINATION_BUCKETS: params.destinationBuckets,
            S3IR_READ_ROLE: 's3ir-read',
          });
        }
      });

      it("lets reconcile and the schedule's grant step write bucket policies on exactly the declared destination buckets and prefixes", () => {
        for (const role of ROLES) {
          const grants = actionResources(deployedStatements(bounded!.template, role), 'Allow');
          const expected = ['ReconcileRole', 'ScheduleRole'].includes(role)
            ? ['arn:aws:s3:::reports-central', 'arn:aws:s3:::inv-*']
            : undefined;
          expect(grants['s3:PutBucketPolicy'], role).toEqual(expected);
          expect(grants['s3:DeleteBucketPolicy'], role).toEqual(expected);
        }
      });

      it('lets delivery-check read reports in exactly the declared destination buckets', () => {
        const grants = actionResources(deployedStatements(bounded!.template, 'DeliveryCheckRole'), 'Allow');
        const resources = [
          'arn:aws:s3:::reports-central',
          'arn:aws:s3:::inv-*',
          'arn:aws:s3:::reports-central/*',
          'arn:aws:s3:::inv-*/*',
        ];
        expect(grants['s3:GetObject']).toEqual(resources);
        expect(grants['s3:ListBucket']).toEqual(resources);
      });

      it('lets reconcile assume only s3ir-reconcile, delivery-check only s3ir-read, in the allowed accounts but home', () => {
        const assumable = (role: string, accountId: string) =>
          actionResources(deployedStatements(bounded!.template, role, accountId), 'Allow')['sts:AssumeRole'];
        // Deployed in the first allowed account: the other one only.
        expect(assumable('ReconcileRole', HOME)).toEqual([`arn:aws:iam::${MEMBER}:role/s3ir-reconcile`]);
        expect(assumable('DeliveryCheckRole', HOME)).toEqual([`arn:aws:iam::${MEMBER}:role/s3ir-read`]);
        // Discovery (#18) lists a member account's buckets with the reconcile's member role.
        expect(assumable('DiscoverRole', HOME)).toEqual([`arn:aws:iam::${MEMBER}:role/s3ir-reconcile`]);
        // The sweep's grant step (#18 point 4) writes a member account's destination and key policies with it too.
        expect(assumable('ScheduleRole', HOME)).toEqual([`arn:aws:iam::${MEMBER}:role/s3ir-reconcile`]);
        // Deployed in an account the list does not name: both.
        expect(assumable('ReconcileRole', OTHER_HOME)).toEqual([
          `arn:aws:iam::${HOME}:role/s3ir-reconcile`,
          `arn:aws:iam::${MEMBER}:role/s3ir-reconcile`,
        ]);
        for (const role of ROLES.filter(
          (candidate) =>
            !['ReconcileRole', 'DeliveryCheckRole', 'DiscoverRole', 'ScheduleRole'].includes(candidate),
        ))
          expect(assumable(role, HOME), role).toBeUndefined();
      });

      const lint = 'packages a template cfn-lint finds no error in';
      it.skipIf(!cfnLintInstalled)(
        cfnLintInstalled ? lint : `${lint} (skipped: cfn-lint is not installed)`,
        async () => {
          const file = join(bounded!.outputDir, 'cloudformation-template-update-stack.json');
          // W3005: osls's own DependsOn next to a GetAtt of the same role, redundant but harmless.
          expect(await cfnLint(file, ['W3005'])).toEqual([]);
        },
      );
    });
  },
);

describe('trustBoundary.cjs (the params osls turns into statements)', () => {
  const input = (over: Partial<TrustBoundaryInput>): TrustBoundaryInput => ({
    allowedAccounts: '',
    destinationBuckets: '',
    crossAccountRole: 's3ir-reconcile',
    readRole: 's3ir-read',
    ...over,
  });

  it.each([
    [{ allowedAccounts: 'o-abc' }, /allowedAccounts: "o-abc" is not an organization id/],
    [{ allowedAccounts: `o-abc123def4,${MEMBER}` }, /cannot be mixed with account ids/],
    [{ allowedAccounts: '12345678901' }, /allowedAccounts: "12345678901" is not a 12-digit account id/],
    [{ allowedAccounts: `${HOME},,${MEMBER}` }, /allowedAccounts: empty entry/],
    [{ destinationBuckets: 'Reports' }, /destinationBuckets: "Reports" is neither a bucket name nor/],
    [{ destinationBuckets: '*' }, /destinationBuckets: "\*" is neither/],
    [{ destinationBuckets: 'a*b' }, /destinationBuckets: "a\*b" is neither/],
    [{ readRole: 'role/with/path' }, /readRole: "role\/with\/path" is not an IAM role name/],
    [{ organizationRoleArn: 's3ir-org' }, /organizationRoleArn: "s3ir-org" is not an IAM role ARN/],
  ])('refuses %j, naming the param', (over, message) => {
    expect(() => trustBoundary(input(over))).toThrow(message);
  });

  it('reads Organizations with the schedule role, or only through organizationRoleArn when set (#18)', () => {
    expect(trustBoundary(input({})).schedule).toMatchObject({
      readOrganization: {
        Sid: 'ReadOrganization',
        Effect: 'Allow',
        Action: ['organizations:DescribeOrganization', 'organizations:ListRoots'],
        Resource: '*',
      },
      listOrganizationParents: {
        Sid: 'ListOrganizationParents',
        Effect: 'Allow',
        Action: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'],
        Resource: [
          { 'Fn::Sub': 'arn:${AWS::Partition}:organizations::*:root/o-*/r-*' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:organizations::*:ou/o-*/ou-*' },
        ],
      },
    });
    const role = `arn:aws:iam::${MEMBER}:role/s3ir-organization-read`;
    expect(trustBoundary(input({ organizationRoleArn: ` ${role} ` })).schedule).toMatchObject({
      readOrganization: {
        Sid: 'AssumeOrganizationRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: role,
      },
      listOrganizationParents: {
        Sid: 'OrganizationOnlyThroughRole',
        Effect: 'Deny',
        Action: [
          'organizations:DescribeOrganization',
          'organizations:ListRoots',
          'organizations:ListAccountsForParent',
          'organizations:ListOrganizationalUnitsForParent',
        ],
        Resource: '*',
      },
    });
  });

  it("bounds the schedule's grant step (#18 point 4) as reconcile, its Deny of AssumeRole sparing organizationRoleArn", () => {
    const bounded = trustBoundary(input({ allowedAccounts: MEMBER, destinationBuckets: 'reports' }));
    expect(bounded.schedule.writeDestinationPolicies).toEqual(bounded.reconcile.writeDestinationPolicies);
    expect(bounded.schedule.assumeMemberRole).toEqual(bounded.reconcile.assumeMemberRole);
    const home = trustBoundary(input({}));
    expect(home.schedule.writeDestinationPolicies).toEqual(home.reconcile.writeDestinationPolicies);
    expect(home.schedule.assumeMemberRole).toEqual({
      Sid: 'NeverAssumeRoles',
      Effect: 'Deny',
      Action: ['sts:AssumeRole'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/*' },
    });
    // With an organization role, the Deny must leave it to AssumeOrganizationRole (an explicit Deny wins).
    const role = `arn:aws:iam::${MEMBER}:role/s3ir-organization-read`;
    const throughRole = trustBoundary(input({ organizationRoleArn: role }));
    expect(throughRole.schedule.assumeMemberRole).toEqual({
      Sid: 'NeverAssumeRoles',
      Effect: 'Deny',
      Action: ['sts:AssumeRole'],
      NotResource: [role],
    });
    expect(throughRole.reconcile.assumeMemberRole).toEqual(home.reconcile.assumeMemberRole);
    // The only allowed account is home: the Deny, still sparing the organization role.
    const single = trustBoundary(input({ allowedAccounts: MEMBER, organizationRoleArn: role }));
    expect(
      evaluate(
        single.schedule.assumeMemberRole,
        { Conditions: single.template.Conditions },
        { accountId: MEMBER },
      ),
    ).toEqual({ Sid: 'NeverAssumeRoles', Effect: 'Deny', Action: ['sts:AssumeRole'], NotResource: [role] });
  });

  it('bounds AssumeRole by aws:ResourceOrgPaths for organization and OU ids (#18)', () => {
    const boundary = trustBoundary(input({ allowedAccounts: 'o-abc123def4,ou-ab12-34cd56ef' }));
    expect(boundary.template).toEqual({});
    expect(boundary.reconcile.assumeMemberRole).toEqual({
      Sid: 'AssumeReconcileRoleInAllowedAccounts',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/s3ir-reconcile' },
      Condition: {
        'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': ['o-abc123def4/*', '*/ou-ab12-34cd56ef/*'] },
      },
    });
    expect(boundary.deliveryCheck.assumeMemberRole).toMatchObject({
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/s3ir-read' },
    });
  });

  it('lets the delivery check assume the read-only member role, never the write role, across the organization (#18)', () => {
    // It lists the member accounts' buckets with it (infra/member-account.yml, s3ir-read `DiscoverBuckets`).
    const boundary = trustBoundary(input({ allowedAccounts: 'o-abc123def4,ou-ab12-34cd56ef' }));
    expect(boundary.deliveryCheck.assumeMemberRole).toEqual({
      Sid: 'AssumeReadRoleInAllowedAccounts',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/s3ir-read' },
      Condition: {
        'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': ['o-abc123def4/*', '*/ou-ab12-34cd56ef/*'] },
      },
    });
    const listed = trustBoundary(input({ allowedAccounts: `${HOME},${MEMBER}` }));
    expect(listed.deliveryCheck.assumeMemberRole).toMatchObject({ Sid: 'AssumeReadRoleInAllowedAccounts' });
    expect(JSON.stringify(listed.deliveryCheck)).not.toContain('s3ir-reconcile');
  });

  it('trims spaces and drops duplicate entries', () => {
    const boundary = trustBoundary(input({ destinationBuckets: ' reports , reports,logs-* ' }));
    expect(boundary.reconcile.writeDestinationPolicies).toMatchObject({
      Resource: [
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::reports' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::logs-*' },
      ],
    });
  });

  it('with one allowed account, assumes into it unless it is the home account (then: an explicit Deny)', () => {
    const boundary = trustBoundary(input({ allowedAccounts: MEMBER }));
    const template = { Conditions: boundary.template.Conditions };
    expect(evaluate(boundary.reconcile.assumeMemberRole, template, { accountId: HOME })).toEqual({
      Sid: 'AssumeReconcileRoleInAllowedAccounts',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: [`arn:aws:iam::${MEMBER}:role/s3ir-reconcile`],
    });
    expect(evaluate(boundary.deliveryCheck.assumeMemberRole, template, { accountId: MEMBER })).toEqual({
      Sid: 'NeverAssumeRoles',
      Effect: 'Deny',
      Action: ['sts:AssumeRole'],
      Resource: 'arn:aws:iam::*:role/*',
    });
  });

  describe.skipIf(!cfnLintInstalled)(
    cfnLintInstalled ? 'as CloudFormation' : 'as CloudFormation (skipped: cfn-lint is not installed)',
    () => {
      let dir: string;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 's3ir-boundary-'));
      });
      afterAll(() => rm(dir, { recursive: true, force: true }));

      it.each([
        ['one allowed account', { allowedAccounts: MEMBER, destinationBuckets: 'reports' }],
        [
          'two allowed accounts',
          { allowedAccounts: `${HOME},${MEMBER}`, destinationBuckets: 'a-*,b-reports' },
        ],
        ['the defaults', {}],
        [
          'an organization role',
          { organizationRoleArn: `arn:aws:iam::${MEMBER}:role/s3ir-organization-read` },
        ],
      ])('gives statements cfn-lint finds no fault in (%s)', async (name, over) => {
        const boundary = trustBoundary(input(over));
        const template = {
          ...boundary.template,
          Resources: {
            Role: {
              Type: 'AWS::IAM::Role',
              Properties: {
                AssumeRolePolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Principal: { Service: 'lambda.amazonaws.com' },
                      Action: 'sts:AssumeRole',
                    },
                  ],
                },
                Policies: [boundary.reconcile, boundary.deliveryCheck, boundary.schedule].map(
                  (statements, index) => ({
                    PolicyName: `boundary-${index}`,
                    PolicyDocument: { Version: '2012-10-17', Statement: Object.values(statements) },
                  }),
                ),
              },
            },
          },
        };
        const file = join(dir, `${name.replaceAll(' ', '-')}.json`);
        await writeFile(file, JSON.stringify(template));
        expect(await cfnLint(file)).toEqual([]);
      });
    },
  );
});
