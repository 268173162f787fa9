import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_GRANTS } from './expectedGrants.js';
import { oslsInstalled, type PackagedService, packageService } from './packageService.js';
import {
  actionsOf,
  getAtt,
  properties,
  ref,
  resource,
  roleStatements,
  type Statement,
  type Template,
} from './template.js';

/** The roles that may write digests (issue 16): the anchor, and the schedule at the end of a sweep. */
const ANCHOR_ROLES = ['AuditAnchorRole', 'ScheduleRole'];
/** The audit table's writers. */
const AUDIT_WRITERS = ['ReconcileRole', 'DesiredChangeRole', 'DeliveryCheckRole', 'S3ChangeRole'];

let packaged: PackagedService | undefined;
let template: Template;

const bucketPolicy = (): Statement[] =>
  (properties(template, 'AuditDigestBucketPolicy').PolicyDocument as { Statement: Statement[] }).Statement;
const grantsOnDigests = (role: string) =>
  roleStatements(template, role).filter((statement) =>
    JSON.stringify(statement.Resource ?? '').includes('AuditDigest'),
  );

describe.skipIf(!oslsInstalled)(
  oslsInstalled
    ? 'the audit digest bucket and key (osls package)'
    : 'digest bucket (skipped: osls is not installed)',
  () => {
    beforeAll(async () => {
      packaged = await packageService('ci');
      template = packaged.template;
    }, 300_000);
    afterAll(async () => packaged?.cleanup());

    it('keeps the digest bucket and its key when the stack goes, with Object Lock in compliance mode for 400 days', () => {
      for (const id of ['AuditDigestBucket', 'AuditDigestKey']) {
        const kept = resource(template, id) as { DeletionPolicy?: string; UpdateReplacePolicy?: string };
        expect([kept.DeletionPolicy, kept.UpdateReplacePolicy], id).toEqual(['Retain', 'Retain']);
      }
      expect(properties(template, 'AuditDigestBucket')).toMatchObject({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
      });
      expect(properties(template, 'AuditDigestKey')).toMatchObject({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
      });
    });

    it('denies requests without TLS, writes by anyone but the anchors, and puts without If-None-Match', () => {
      const statements = bucketPolicy();
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': ANCHOR_ROLES.map((role) => getAtt(role)) } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' } },
          }),
        ]),
      );
      expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
    });

    it("denies the service's roles any change to the bucket's policy, lock or retention, and any delete", () => {
      const denied = bucketPolicy().find((statement) => statement.Sid === 'DenyServiceRolesBucketChanges');
      expect(denied?.Effect).toBe('Deny');
      expect(actionsOf(denied!)).toEqual(
        expect.arrayContaining([
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
          's3:PutBucketObjectLockConfiguration',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:BypassGovernanceRetention',
        ]),
      );
      expect(JSON.stringify(denied?.Condition)).toContain(':role/s3ir-ci-*');
    });

    it('gives only the anchors a write on the digest bucket and kms:Sign, and the audit writers nothing on it', () => {
      for (const role of AUDIT_WRITERS) expect(grantsOnDigests(role), role).toEqual([]);
      const writes = (role: string) =>
        grantsOnDigests(role)
          .flatMap(actionsOf)
          .filter((action) => !/^s3:(Get|List)/.test(action) && action !== 'kms:GetPublicKey')
          .sort();
      for (const role of ANCHOR_ROLES)
        expect(writes(role), role).toEqual(['kms:Sign', 's3:PutObject', 's3:PutObjectRetention']);
      expect(writes('AuditApiRole')).toEqual([]);
      const roles = Object.values(EXPECTED_GRANTS).map((grants) => grants.role);
      for (const role of roles.filter((name) => !ANCHOR_ROLES.includes(name)))
        expect(roleStatements(template, role).flatMap(actionsOf), role).not.toContain('kms:Sign');
      const keyDeny = (
        properties(template, 'AuditDigestKey').KeyPolicy as { Statement: Statement[] }
      ).Statement.find((statement) => statement.Effect === 'Deny');
      expect(keyDeny).toMatchObject({ Action: 'kms:Sign', Principal: '*' });
    });

    it('names the digest bucket and key in the outputs', () => {
      const outputs = template.Outputs as Record<string, { Value: unknown }>;
      expect(outputs.AuditDigestBucketName?.Value).toEqual(ref('AuditDigestBucket'));
      expect(outputs.AuditDigestKeyArn?.Value).toEqual(getAtt('AuditDigestKey'));
    });
  },
);
