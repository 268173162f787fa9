/**
 * The reconcile worker of the kill rows, in a process of its own: the real handler (functions/reconcile.ts,
 * built as Lambda builds it, from this process's environment) given one SQS record for `bucket` and `runId`
 * (argv, with the queue's ARN). The test SIGKILLs it while one of its AWS calls is held (holdProxy.ts); it prints the batch
 * response only if it is never stopped.
 *   node --import tsx test/e2e/killRows/reconcileWorker.ts <bucket> <runId> <queueArn>
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { createHandler } from '../../../functions/reconcile.js';
import { lambdaContext, sqsEvent } from '../../../infra/local/service/lambdaEvents.js';

const [bucket, runId, queueArn] = process.argv.slice(2);
const region = process.env.AWS_REGION ?? 'us-east-1';
const handler = createHandler(process.env) as unknown as (
  event: SQSEvent,
  context: Context,
) => Promise<unknown>;
const message = {
  MessageId: `kill-${runId}`,
  ReceiptHandle: `kill-${runId}`,
  Body: JSON.stringify({ bucket, runId }),
};
const response = await handler(
  sqsEvent([message], queueArn!, region),
  lambdaContext('reconcile', 120_000, region),
);
process.stdout.write(`${JSON.stringify(response)}\n`);
