// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.

/** What a deployment would know: parameter values and the pseudo parameters (`AWS::AccountId`, …). */
export interface DeployContext {
  parameters?: Record<string, string | string[]>;
  accountId: string;
  partition?: string;
  region?: string;
}

/** The parts of a template {@link evaluate} needs: its conditions (and parameter defaults). */
export interface EvaluatedTemplate {
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, { Type?: string; Default?: string }>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Evaluates the intrinsic functions the trust-boundary templates use (Ref, Fn::If, Fn::Equals, Fn::Not,
 * Fn::Join, Fn::Split, Fn::Sub) as CloudFormation would for one deployment, dropping `AWS::NoValue`.
 * What it cannot resolve (Fn::GetAtt, a Ref or Fn::Sub naming a resource) is left as it is, so a test
 * can still compare it with `getAtt(…)`.
 */
export function evaluate<T = unknown>(node: unknown, template: EvaluatedTemplate, context: DeployContext): T {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': context.accountId,
    'AWS::Partition': context.partition ?? 'aws',
    'AWS::Region': context.region ?? 'us-east-1',
  };
  const parameter = (name: string): string | string[] | undefined => {
    const given = context.parameters?.[name];
    if (given !== undefined) return given;
    const declared = template.Parameters?.[name];
    if (declared?.Default === undefined) return undefined;
    return declared.Type === 'CommaDelimitedList' ? declared.Default.split(',') : declared.Default;
  };
  const condition = (name: string): boolean => {
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`no condition ${name}`);
    const value = walk(definition);
    if (typeof value !== 'boolean')
      throw new Error(`condition ${name} is not a boolean: ${JSON.stringify(value)}`);
    return value;
  };
  const sub = (text: string, variables: Record<string, unknown>): unknown => {
    let unresolved = false;
    const result = text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
      const value = name in variables ? variables[name] : (pseudo[name] ?? parameter(name));
      if (typeof value === 'string') return value;
      unresolved = true;
      return whole;
    });
    return unresolved ? { 'Fn::Sub': text } : result;
  };
  function walk(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(walk).filter((item) => item !== NO_VALUE);
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const [key] = Object.keys(record);
    const argument = key === undefined ? undefined : record[key];
    if (Object.keys(record).length === 1 && key !== undefined) {
      if (key === 'Ref') {
        const name = argument as string;
        if (name === 'AWS::NoValue') return NO_VALUE;
        return pseudo[name] ?? parameter(name) ?? record;
      }
      if (key === 'Fn::If') {
        const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return walk(condition(name) ? whenTrue : whenFalse);
      }
      if (key === 'Fn::Equals') {
        const [left, right] = (argument as unknown[]).map(walk);
        return JSON.stringify(left) === JSON.stringify(right);
      }
      if (key === 'Fn::Not') return !(walk((argument as unknown[])[0]) as boolean);
      if (key === 'Fn::Join') {
        const [delimiter, list] = argument as [string, unknown];
        return (walk(list) as unknown[]).map((item) => walk(item)).join(delimiter);
      }
      if (key === 'Fn::Split') {
        const [delimiter, text] = argument as [string, unknown];
        return (walk(text) as string).split(delimiter);
      }
      if (key === 'Fn::Sub') {
        if (typeof argument === 'string') return sub(argument, {});
        const [text, variables] = argument as [string, Record<string, unknown>];
        return sub(
          text,
          Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, walk(variable)])),
        );
      }
    }
    const entries = Object.entries(record)
      .map(([name, item]) => [name, walk(item)] as const)
      .filter(([, item]) => item !== NO_VALUE);
    return Object.fromEntries(entries);
  }
  return walk(node) as T;
}
