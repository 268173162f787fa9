import { configurationLeaves } from '../../core/inventory/diffConfigurations.js';
import type { FieldChange } from '../../core/inventory/types.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { isRecord } from '../../core/json/isRecord.js';
import { findGrant } from '../../core/policy/grantStatement.js';
import type { GrantTarget, PolicyDocument } from '../../core/policy/types.js';
import type { Finding, Plan, PlanAction } from '../../core/reconcile/types.js';
import { createStyle, type Style } from './style.js';

export interface RenderPlanOptions {
  /** ANSI colour; the CLI turns it on only for a TTY. */
  color?: boolean;
}

/**
 * Renders plans as `terraform plan` does: per bucket, `+` create, `~` update with field-level
 * old -> new, `-` delete, `!` needs a human (with the exact statement to add), then a summary line.
 * Takes the same plan objects `--json` prints, so what people read and what machines read agree.
 */
export function renderPlans(plans: Plan[], options: RenderPlanOptions = {}): string {
  const style = createStyle(options.color ?? false);
  const blocks = plans.filter(hasContent).map((plan) => renderBucket(plan, style));
  if (blocks.length === 0) return 'No changes. Every bucket matches its desired state.\n';
  return `${blocks.join('\n')}\n${summaryLine(plans)}\n`;
}

/** `Plan: 2 to create, 1 to update, 0 to delete, 1 needs action.` */
export function summaryLine(plans: Plan[]): string {
  let create = 0;
  let update = 0;
  let remove = 0;
  let human = 0;
  for (const plan of plans) {
    for (const action of plan.actions) {
      if (action.kind === 'create-configuration') create += 1;
      else if (action.kind === 'delete-configuration' || deletesPolicy(action)) remove += 1;
      else update += 1;
    }
    human += plan.findings.length;
  }
  return `Plan: ${create} to create, ${update} to update, ${remove} to delete, ${human} needs action.`;
}

function hasContent(plan: Plan): boolean {
  return plan.actions.length > 0 || plan.findings.length > 0 || plan.drift.length > 0;
}

function renderBucket(plan: Plan, style: Style): string {
  const lines = [style.bold(`bucket "${plan.bucket}" (account ${plan.account}, ${plan.region})`)];
  for (const action of plan.actions) lines.push(...renderAction(action, style));
  for (const drift of plan.drift) {
    const handled = plan.actions.some((action) => 'id' in action && action.id === drift.id);
    if (drift.kind === 'unmanaged' && !handled) {
      lines.push(style.dim(`  # inventory "${drift.id}" is not declared; kept because prune is off`));
    }
  }
  for (const finding of plan.findings) lines.push(...renderFinding(finding, style));
  return `${lines.join('\n')}\n`;
}

function renderAction(action: PlanAction, style: Style): string[] {
  const detect = action.mode === 'detect' ? style.dim(' (detect only: not applied)') : '';
  switch (action.kind) {
    case 'create-configuration':
      return [
        style.green(`  + inventory "${action.id}"`) + detect,
        ...[...configurationLeaves(action.after)].map(([path, value]) =>
          style.green(`      + ${path} = ${show(value)}`),
        ),
      ];
    case 'update-configuration':
      return [
        style.yellow(`  ~ inventory "${action.id}"`) + detect,
        ...action.fields.map((field) => renderField(field, style)),
        ...hiddenLine(configurationLeaves(action.after).size - countDesiredFields(action.fields), style),
      ];
    case 'delete-configuration':
      return [style.red(`  - inventory "${action.id}"`) + detect, style.dim(`      # ${action.reason}`)];
    case 'grant-destination':
    case 'revoke-destination': {
      const name = `destination policy "${action.destinationBucket}"`;
      return [
        (deletesPolicy(action) ? style.red(`  - ${name}`) : style.yellow(`  ~ ${name}`)) + detect,
        ...sourceLines(action, 'destination-policy', style),
        style.dim(`      # ${action.reason}`),
        ...(deletesPolicy(action) ? [style.dim('      # deleted: it held only our statement')] : []),
      ];
    }
    case 'grant-key':
    case 'revoke-key':
      return [
        style.yellow(`  ~ key policy "${action.keyArn}"`) + detect,
        ...sourceLines(action, 'key-policy', style),
        style.dim(`      # ${action.reason}`),
      ];
  }
}

/** A revoke that leaves no statement: the bucket policy is deleted. */
function deletesPolicy(action: PlanAction): boolean {
  return action.kind === 'revoke-destination' && action.after === undefined;
}

const SOURCE_KEYS = ['aws:SourceArn', 'aws:SourceAccount'] as const;

/** `+ aws:SourceArn arn:aws:s3:::photos`: the sources our statement gains or loses, key by key. */
function sourceLines(
  action: { before: PolicyDocument | undefined; after: PolicyDocument | undefined },
  target: GrantTarget,
  style: Style,
): string[] {
  const before = grantSources(action.before, target);
  const after = grantSources(action.after, target);
  return SOURCE_KEYS.flatMap((key) => {
    const was = before.get(key) ?? new Set<string>();
    const is = after.get(key) ?? new Set<string>();
    return [
      ...[...was].filter((value) => !is.has(value)).map((value) => style.red(`      - ${key} ${value}`)),
      ...[...is].filter((value) => !was.has(value)).map((value) => style.green(`      + ${key} ${value}`)),
    ];
  });
}

/** The values our statement lists under each source key, whichever operator and key case it uses. */
function grantSources(document: PolicyDocument | undefined, target: GrantTarget): Map<string, Set<string>> {
  const sources = new Map<string, Set<string>>();
  const condition = findGrant(document, target)?.Condition;
  for (const block of Object.values(isRecord(condition) ? condition : {})) {
    for (const [name, values] of Object.entries(isRecord(block) ? block : {})) {
      const key = SOURCE_KEYS.find((known) => known.toLowerCase() === name.toLowerCase());
      if (key === undefined) continue;
      const listed = (Array.isArray(values) ? values : [values]).map(String).sort(compareCodeUnits);
      sources.set(key, new Set([...(sources.get(key) ?? []), ...listed]));
    }
  }
  return sources;
}

function renderField(field: FieldChange, style: Style): string {
  if (field.actual === undefined) return style.green(`      + ${field.path} = ${show(field.desired)}`);
  if (field.desired === undefined) return style.red(`      - ${field.path} = ${show(field.actual)}`);
  return style.yellow(`      ~ ${field.path} = ${show(field.actual)} -> ${show(field.desired)}`);
}

/** Fields present in the desired configuration that changed; the rest of its fields are unchanged. */
function countDesiredFields(fields: FieldChange[]): number {
  return fields.filter((field) => field.desired !== undefined).length;
}

function hiddenLine(unchanged: number, style: Style): string[] {
  if (unchanged <= 0) return [];
  return [style.dim(`      # (${unchanged} unchanged field${unchanged === 1 ? '' : 's'} hidden)`)];
}

function renderFinding(finding: Finding, style: Style): string[] {
  const lines = [style.magenta(`  ! ${finding.kind}: ${finding.message}`)];
  for (const issue of finding.issues ?? [])
    lines.push(style.magenta(`      ${issue.path || '(root)'}: ${issue.message}`));
  if (finding.statement) {
    lines.push(
      style.magenta(
        finding.replacesSid === undefined
          ? '      add this statement:'
          : `      put this statement in place of the one with Sid "${finding.replacesSid}":`,
      ),
    );
    for (const line of JSON.stringify(finding.statement, null, 2).split('\n')) lines.push(`        ${line}`);
  }
  return lines;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
