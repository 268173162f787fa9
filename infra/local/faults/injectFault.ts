import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendError } from '../gateway/awsErrors.js';
import type { IdentifiedCall } from '../gateway/identifyCall.js';
import type { RequestInfo } from '../gateway/requestInfo.js';
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
  // Drain the body the backend will never read, so the connection can be reused.
  req.resume();
  const { status, code, message } = decision.error;
  sendError(req, res, info.service, status, code, message);
  return true;
}
