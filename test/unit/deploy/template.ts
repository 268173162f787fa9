/** The parts of a CloudFormation template the deployment tests read. */
export interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, { Type?: string; Default?: string }>;
}

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
export const ref = (id: string) => ({ Ref: id });
export const sub = (text: string) => ({ 'Fn::Sub': text });

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A resource by logical id, failing with the ids that do exist. */
export function resource(template: Template, id: string): Resource {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id}; have ${Object.keys(template.Resources).join(', ')}`);
  return found;
}

export const properties = (template: Template, id: string): Record<string, unknown> =>
  resource(template, id).Properties ?? {};

export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, candidate]) => candidate.Type === type);
}

/** Every policy statement of the template: role policies, key policies, bucket and queue policies. */
export function allStatements(template: Template): Array<{ owner: string; statement: Statement }> {
  const found: Array<{ owner: string; statement: Statement }> = [];
  const walk = (owner: string, node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(owner, item);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.Statement))
        for (const statement of record.Statement as Statement[]) found.push({ owner, statement });
      for (const value of Object.values(record)) walk(owner, value);
    }
  };
  for (const [id, candidate] of Object.entries(template.Resources)) walk(id, candidate.Properties);
  return found;
}

/** The statements of a role's inline policies (its trust policy excluded). */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const policies = asArray(properties(template, roleId).Policies as Array<{ PolicyDocument: unknown }>);
  return policies.flatMap((policy) => (policy.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** action → the resources it is granted (or denied) on, across the role's statements of that effect. */
export function actionResources(
  statements: Statement[],
  effect: Statement['Effect'],
): Record<string, unknown[]> {
  const byAction: Record<string, unknown[]> = {};
  for (const statement of statements.filter((candidate) => candidate.Effect === effect)) {
    for (const action of asArray(statement.Action)) {
      byAction[action] = [...(byAction[action] ?? []), ...asArray(statement.Resource)];
    }
  }
  return byAction;
}

export const actionsOf = (statement: Statement): string[] => [
  ...asArray(statement.Action),
  ...asArray(statement.NotAction),
];

/** `*`, `service:*` or any other pattern: an action that is not one exact API permission. */
export const isWildcardAction = (action: string): boolean => action.includes('*') || action.includes('?');

/** The logical id of the role a function runs as (`role: XRole` compiles to `Fn::GetAtt [XRole, Arn]`). */
export function functionRoleId(template: Template, functionId: string): string {
  const role = properties(template, functionId).Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = role?.['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`${functionId} has no role of this template: ${JSON.stringify(role)}`);
  return id;
}

/** The resource whose Targets (rules) or FunctionName (mappings) point at the function. */
export function pointingAt(template: Template, type: string, functionId: string): Array<[string, Resource]> {
  const target = JSON.stringify(getAtt(functionId));
  return resourcesOfType(template, type).filter(([, candidate]) =>
    JSON.stringify(candidate.Properties ?? {}).includes(target),
  );
}
