import { withEventId } from '../audit/eventId.js';
import type { AuditAction, AuditEvent } from '../audit/types.js';
import type { Alert } from './types.js';

/** Who records a transition, and when. */
export interface TransitionStampOptions {
  now: Date;
  runId: string;
  actor: string;
}

/** Makes the alerts and audit events of one status transition. */
export interface TransitionStamp {
  alert(type: Alert['type'], summary: string, extra?: Partial<Alert>): Alert;
  event(
    action: AuditAction,
    id: string,
    message: string,
    extra?: Pick<AuditEvent, 'before' | 'after'>,
  ): AuditEvent;
}

/**
 * The envelope of a subject's alerts and events (an account, a policy: whatever is not a bucket but has
 * a chain of its own): `subject` is their `bucket`, `fields` what every alert carries besides (account,
 * region, target); the run, actor and time are the transition's.
 * @example transitionStamp('#account:111122223333', options, { account: '111122223333' }).alert('drift-resolved', 'back')
 */
export function transitionStamp(
  subject: string,
  options: TransitionStampOptions,
  fields: Partial<Alert> = {},
): TransitionStamp {
  return {
    alert: (type, summary, extra = {}) => ({
      type,
      bucket: subject,
      ...fields,
      runId: options.runId,
      summary,
      ...extra,
    }),
    event: (action, id, message, extra = {}) =>
      withEventId(id, {
        time: options.now.toISOString(),
        runId: options.runId,
        bucket: subject,
        action,
        actor: options.actor,
        message,
        ...extra,
      }),
  };
}
