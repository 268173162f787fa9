import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendError } from '../gateway/awsErrors.js';
import type { IdentifiedCall } from '../gateway/identifyCall.js';
import { readBody } from '../gateway/readBody.js';
import type { RequestInfo } from '../gateway/requestInfo.js';
import { sendJsonError } from '../gateway/rpcErrors.js';
import type { FaultInjector } from './FaultInjector.js';

/**
 * Applies the fault rules to one call, before it reaches a backend: waits their summed latency, then
 * answers with the injected error in the call's own protocol (S3 XML, JSON, query XML).
 * @returns true when the call was answered here
 */
export async function injectFault(
  faults: FaultInjector,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  call: IdentifiedCall,
): Promise<boolean> {
  if (faults.isEmpty) return false;
  const decision = faults.decide({ service: call.service, operation: call.operation, bucket: info.bucket });
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (!decision.error) return false;
  const { status, code, message } = decision.error;
  if (info.service === 'dynamodb' && code === TRANSACTION_CANCELED) {
    const reasons = await cancellationReasons(req);
    sendJsonError(req, res, info.service, {
      status,
      code,
      message: `${message} [${reasons.map((reason) => reason.Code).join(', ')}]`,
      members: { CancellationReasons: reasons },
    });
    return true;
  }
  // Drain the body the backend will never read, so the connection can be reused.
  req.resume();
  sendError(req, res, info.service, status, code, message);
  return true;
}

const TRANSACTION_CANCELED = 'TransactionCanceledException';

/**
 * DynamoDB's reasons for a cancelled TransactWriteItems: one per item of the request, in order; the first
 * held by another transaction (`TransactionConflict`), the others `None`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html, "Errors").
 * SDK v3 exposes them as `error.CancellationReasons`, which is how a caller tells a conflict from a failed
 * condition.
 */
async function cancellationReasons(req: IncomingMessage): Promise<{ Code: string; Message?: string }[]> {
  let items = 1;
  try {
    const body = JSON.parse((await readBody(req, 4 * 1024 * 1024)).toString('utf8')) as {
      TransactItems?: unknown[];
    };
    if (Array.isArray(body.TransactItems) && body.TransactItems.length > 0) items = body.TransactItems.length;
  } catch {
    // Not a transaction body (the rule matched another operation): one reason.
  }
  return Array.from({ length: items }, (_, index) =>
    index === 0
      ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
      : { Code: 'None' },
  );
}
