import type { DeliveryResult } from '../../../infra/local/delivery/types.js';
import type { ChangeEventPage, CloudTrailApiCallEvent } from '../../../infra/local/events/types.js';
import type { FaultRuleInput, FaultRuleView } from '../../../infra/local/faults/types.js';
import { localAws } from './localAwsClients.js';

/** A control endpoint's status and JSON body. */
export interface ControlReply<T> {
  status: number;
  body: T;
}

/** Calls a `/_local/` endpoint of the shared local AWS (or of `endpoint`) with an optional JSON body. */
export async function control<T>(
  method: string,
  path: string,
  body?: unknown,
  endpoint = localAws().endpoint,
): Promise<ControlReply<T>> {
  const response = await fetch(`${endpoint}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * Adds fault rules to the shared local AWS. Tests share it with other files running at the same
 * time, so every rule must be scoped (a unique bucket, or a `count`) and nobody may `DELETE` them:
 * clearing is tested on a private gateway.
 */
export async function addFaults(rules: FaultRuleInput[]): Promise<FaultRuleView[]> {
  const reply = await control<{ rules: FaultRuleView[]; error?: string }>('POST', '/_local/faults', {
    rules,
  });
  if (reply.status !== 200)
    throw new Error(`POST /_local/faults answered ${reply.status}: ${reply.body.error}`);
  return reply.body.rules;
}

/** `GET /_local/faults`: the rule with that id. */
export async function faultRule(id: number): Promise<FaultRuleView | undefined> {
  const reply = await control<{ rules: FaultRuleView[] }>('GET', '/_local/faults');
  return reply.body.rules.find((rule) => rule.id === id);
}

/** `POST /_local/deliver`, scoped to the given source buckets. */
export async function deliver(buckets: string[], now?: string): Promise<DeliveryResult> {
  const reply = await control<DeliveryResult & { error?: string }>('POST', '/_local/deliver', {
    buckets,
    ...(now ? { now } : {}),
  });
  if (reply.status !== 200)
    throw new Error(`POST /_local/deliver answered ${reply.status}: ${reply.body.error}`);
  return reply.body;
}

/** `GET /_local/events[?since=id]` */
export async function eventsSince(since?: string, endpoint?: string): Promise<ChangeEventPage> {
  const query = since === undefined ? '' : `?since=${encodeURIComponent(since)}`;
  return (await control<ChangeEventPage>('GET', `/_local/events${query}`, undefined, endpoint)).body;
}

/** The id to poll from: the newest event now (null when there is none yet). */
export async function latestEventId(): Promise<string | undefined> {
  return (await eventsSince()).lastId ?? undefined;
}

/** Change events after `since` that concern one of these buckets or keys (other files add their own). */
export async function eventsAbout(
  since: string | undefined,
  names: string[],
): Promise<CloudTrailApiCallEvent[]> {
  const { events } = await eventsSince(since);
  return events.filter(({ detail }) => {
    const { bucketName, keyId } = detail.requestParameters;
    return names.some((name) => name === bucketName || keyId?.includes(name) === true);
  });
}
