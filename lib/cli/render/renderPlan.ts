import { configurationLeaves, type FieldChange } from '../../inventory/index.js';
import type { Finding, Plan, PlanAction } from '../../reconcile/index.js';
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
      else if (action.kind === 'delete-configuration') remove += 1;
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
    case 'revoke-destination':
      return [
        style.yellow(`  ~ destination policy "${action.destinationBucket}"`) + detect,
        style.dim(`      # ${action.reason}`),
      ];
    case 'grant-key':
    case 'revoke-key':
      return [
        style.yellow(`  ~ key policy "${action.keyArn}"`) + detect,
        style.dim(`      # ${action.reason}`),
      ];
  }
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
    lines.push(style.magenta('      add this statement:'));
    for (const line of JSON.stringify(finding.statement, null, 2).split('\n')) lines.push(`        ${line}`);
  }
  return lines;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
