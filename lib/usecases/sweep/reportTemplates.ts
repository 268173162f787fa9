import type { Observation } from '../../core/alerts/observation.js';
import {
  refusalLines,
  TEMPLATES_STATUS_SUBJECT,
  type TemplateRefusal,
} from '../../core/desired/templateRefusals.js';
import {
  recordTransition,
  type TransitionDeps,
  type TransitionReport,
} from '../recordTransition/recordTransition.js';

/**
 * The templates' refusals as a status of their own (subject `#templates`), through the status transition every
 * bucket's status uses: one `reconcile-failed` alert naming every refused template and its field when the
 * refusals appear or change (and reminders as for buckets), one `drift-resolved` when none is left, nothing
 * in between. A table whose templates were never refused has no such status and costs one read per sweep.
 * @returns undefined when there was nothing to record (no refusal now and no status kept)
 * @throws what {@link recordTransition} throws (alert or audit event not kept); the next sweep tries again
 */
export async function reportRefusedTemplates(
  refusals: readonly TemplateRefusal[],
  deps: TransitionDeps,
): Promise<TransitionReport | undefined> {
  if (refusals.length === 0 && (await deps.status.get(TEMPLATES_STATUS_SUBJECT)) === undefined)
    return undefined;
  return recordTransition(templatesObservation(refusals), deps);
}

/** What a sweep saw of the templates: each refusal a failure, recorded as its own audit event. Pure. */
export function templatesObservation(refusals: readonly TemplateRefusal[]): Observation {
  const lines = refusalLines(refusals);
  return {
    bucket: TEMPLATES_STATUS_SUBJECT,
    applied: [],
    failures: lines,
    failureEvents: refusals.map((refusal, index) => ({
      subject: `invalid-template:${refusal.id}`,
      message: lines[index]!,
    })),
  };
}
