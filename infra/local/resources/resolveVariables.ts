/** What `${…}` variables of serverless.yml resolve against locally. */
export interface VariableContext {
  /** The parsed serverless.yml, for `${self:…}`. */
  self: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** `${opt:…}`, `${sls:stage}` and `${aws:region}`; `stage` also picks the `params` section of `${param:…}`. */
  options: { region: string; stage: string; accountId: string };
}

const variable = /\$\{([^{}]+)\}/;

function lookup(root: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
}

/**
 * `${param:NAME}` as the Serverless Framework resolves it from serverless.yml's `params`: the stage's
 * section first (`params.<stage>.NAME`), then `params.default.NAME`. (`--param` on the command line
 * does not exist locally.)
 */
function paramValue(context: VariableContext, name: string): unknown {
  const params = context.self.params as Record<string, Record<string, unknown> | undefined> | undefined;
  return params?.[context.options.stage]?.[name] ?? params?.default?.[name];
}

function fallbackOf(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  const quoted = raw.match(/^(['"])(.*)\1$/);
  if (quoted) return quoted[2];
  return Number.isNaN(Number(raw)) ? raw : Number(raw);
}

function resolveOne(expression: string, context: VariableContext): unknown {
  const [reference, ...rest] = expression.split(',');
  const fallback = fallbackOf(rest.join(',').trim() || undefined);
  const [source, name = ''] = reference!.trim().split(/:(.*)/s);
  let value: unknown;
  if (source === 'self') value = lookup(context.self, name);
  else if (source === 'param') value = paramValue(context, name);
  else if (source === 'env') value = context.env[name];
  else if (source === 'opt' || source === 'sls' || source === 'aws') {
    const known: Record<string, string> = {
      region: context.options.region,
      stage: context.options.stage,
      accountId: context.options.accountId,
    };
    value = known[name];
  } else throw new Error(`unsupported variable \${${expression}}`);
  if (value === undefined) value = fallback;
  if (value === undefined) throw new Error(`variable \${${expression}} has no value and no fallback`);
  return value;
}

/**
 * Resolves the serverless.yml variables (`${self:custom.x}`, `${self:params.default.x}`, `${param:x}`,
 * `${env:NAME, 'default'}`, `${opt:region}`, `${sls:stage}`, `${aws:region}`) in a value, innermost first, so that the local AWS creates
 * resources with the names a deployment would give them. A string that is one variable takes the
 * variable's value (and type).
 */
export function resolveVariables(value: unknown, context: VariableContext, depth = 0): unknown {
  if (depth > 20) throw new Error('variables nest too deeply (a cycle?)');
  if (Array.isArray(value)) return value.map((item) => resolveVariables(item, context, depth));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveVariables(v, context, depth)]),
    );
  }
  if (typeof value !== 'string' || !variable.test(value)) return value;
  const whole = value.match(/^\$\{([^{}]+)\}$/);
  if (whole) return resolveVariables(resolveOne(whole[1]!, context), context, depth + 1);
  const replaced = value.replace(variable, (_, expression: string) =>
    String(resolveOne(expression, context)),
  );
  return resolveVariables(replaced, context, depth + 1);
}

/**
 * The environment variables serverless.yml reads its names from: `custom.desiredTable:
 * ${env:S3IR_DESIRED_TABLE, '${self:custom.namePrefix}-desired-state'}` binds `S3IR_DESIRED_TABLE` to that
 * custom value (the fallback may itself hold variables).
 */
export function envBindings(
  custom: Record<string, unknown> | undefined,
): Array<{ env: string; customKey: string }> {
  return Object.entries(custom ?? {}).flatMap(([customKey, raw]) => {
    const env =
      typeof raw === 'string' ? raw.match(/^\$\{env:([A-Za-z0-9_]+)\s*(?:,.*)?\}$/s)?.[1] : undefined;
    return env ? [{ env, customKey }] : [];
  });
}
