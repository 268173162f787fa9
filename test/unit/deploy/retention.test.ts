import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oslsInstalled, type PackagedService, packageService } from './packageService.js';
import {
  getAtt,
  properties,
  ref,
  resource,
  resourcesOfType,
  type Statement,
  type Template,
} from './template.js';

/** The tables whose loss would lose the history or what owners declared. */
const TABLES = ['DesiredStateTable', 'StateTable', 'AuditTable'];
/** The roles whose functions send to the reconcile queue (reconcile itself never re-sends). */
const PRODUCERS = ['ScheduleRole', 'DesiredChangeRole', 'S3ChangeRole', 'DiscoverRole'].map((role) =>
  getAtt(role),
);
const INSECURE = { Bool: { 'aws:SecureTransport': 'false' } };

let packaged: PackagedService | undefined;
let template: Template;

/** The statements of the one policy resource of `type` that applies to `target`. */
function policyFor(type: string, list: 'Queues' | 'Topics', target: unknown): Statement[] {
  const found = resourcesOfType(template, type).filter(([, policy]) =>
    ((policy.Properties?.[list] ?? []) as unknown[]).some(
      (item) => JSON.stringify(item) === JSON.stringify(target),
    ),
  );
  expect(
    found.map(([id]) => id),
    `${type} of ${JSON.stringify(target)}`,
  ).toHaveLength(1);
  return (found[0]![1].Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
}

const tlsDenials = (statements: Statement[]) =>
  statements.filter(
    (statement) =>
      statement.Effect === 'Deny' &&
      statement.Principal === '*' &&
      JSON.stringify(statement.Condition) === JSON.stringify(INSECURE),
  );

describe.skipIf(!oslsInstalled)(
  oslsInstalled
    ? 'history retained, queue and topic guarded (osls package)'
    : 'retention (skipped: osls is not installed)',
  () => {
    beforeAll(async () => {
      packaged = await packageService('ci');
      template = packaged.template;
    }, 300_000);
    afterAll(async () => packaged?.cleanup());

    it('keeps every table when the stack is removed or an update would replace it', () => {
      const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id]) => id);
      expect(tables.sort()).toEqual([...TABLES].sort());
      for (const id of tables) {
        const table = resource(template, id) as { DeletionPolicy?: string; UpdateReplacePolicy?: string };
        expect(table.DeletionPolicy, id).toBe('Retain');
        expect(table.UpdateReplacePolicy, id).toBe('Retain');
      }
    });

    it('protects every table from deletion and keeps point-in-time recovery on', () => {
      for (const id of TABLES) {
        expect(properties(template, id), id).toMatchObject({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        });
      }
    });

    it('lets only the producer roles send to the reconcile queue', () => {
      const statements = policyFor('AWS::SQS::QueuePolicy', 'Queues', ref('ReconcileQueue'));
      const queue = getAtt('ReconcileQueue');
      const sends = statements.filter((statement) =>
        [statement.Action].flat().some((action) => action === 'sqs:SendMessage' || action === 'sqs:*'),
      );
      const allowed = sends.filter((statement) => statement.Effect === 'Allow');
      expect(allowed).toEqual([expect.objectContaining({ Principal: { AWS: PRODUCERS }, Resource: queue })]);
      // Inside the account an identity policy alone would let any principal send: the Deny names the rest.
      const others = sends.filter(
        (statement) => statement.Effect === 'Deny' && statement.Condition?.ArnNotEquals,
      );
      expect(others).toEqual([
        expect.objectContaining({
          Principal: '*',
          Action: 'sqs:SendMessage',
          Resource: queue,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': PRODUCERS } },
        }),
      ]);
      // The reconcile role consumes; it is not a producer.
      expect(JSON.stringify(statements)).not.toContain('ReconcileRole');
    });

    it('denies every request without TLS on the queue, its dead-letter queue and the alert topic', () => {
      for (const id of ['ReconcileQueue', 'ReconcileDeadLetterQueue']) {
        const denied = tlsDenials(policyFor('AWS::SQS::QueuePolicy', 'Queues', ref(id)));
        expect(denied, id).toEqual([expect.objectContaining({ Action: 'sqs:*', Resource: getAtt(id) })]);
      }
      const topic = policyFor('AWS::SNS::TopicPolicy', 'Topics', ref('AlertTopic'));
      const [denied] = tlsDenials(topic);
      expect(denied?.Resource).toEqual(ref('AlertTopic'));
      // Every action the topic policy allows is among those denied without TLS.
      const allowedActions = topic
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => [statement.Action].flat());
      expect(allowedActions).toContain('SNS:Publish');
      expect([denied?.Action].flat()).toEqual(expect.arrayContaining(allowedActions));
    });

    it("keeps the topic open to its own account only, as SNS's default policy does", () => {
      const allowed = policyFor('AWS::SNS::TopicPolicy', 'Topics', ref('AlertTopic')).filter(
        (statement) => statement.Effect === 'Allow',
      );
      expect(allowed).toHaveLength(1);
      expect(allowed[0]!.Condition).toEqual({ StringEquals: { 'AWS:SourceOwner': ref('AWS::AccountId') } });
    });
  },
);
