/** Which comparison a condition operator makes. `opaque` families are known to IAM but never compared here. */
export type OperatorFamily = 'string' | 'arn' | 'bool' | 'null' | 'opaque';

/** A condition operator name taken apart: `ForAnyValue:StringNotLikeIfExists` → family, flags. */
export interface ConditionOperator {
  family: OperatorFamily;
  /** `…Not…` operators: several values are a NOR, and an absent key makes them true. */
  negated: boolean;
  ignoreCase: boolean;
  wildcards: boolean;
  ifExists: boolean;
  qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
}

type BaseOperator = Pick<ConditionOperator, 'family' | 'negated' | 'ignoreCase' | 'wildcards'>;

const plain = (
  family: OperatorFamily,
  negated = false,
  wildcards = false,
  ignoreCase = false,
): BaseOperator => ({
  family,
  negated,
  wildcards,
  ignoreCase,
});

const BASE_OPERATORS: Readonly<Record<string, BaseOperator>> = {
  stringequals: plain('string'),
  stringnotequals: plain('string', true),
  stringequalsignorecase: plain('string', false, false, true),
  stringnotequalsignorecase: plain('string', true, false, true),
  stringlike: plain('string', false, true),
  stringnotlike: plain('string', true, true),
  // IAM compares ARNs component by component and allows wildcards in ArnEquals as in ArnLike.
  arnequals: plain('arn', false, true),
  arnlike: plain('arn', false, true),
  arnnotequals: plain('arn', true, true),
  arnnotlike: plain('arn', true, true),
  bool: plain('bool'),
  null: plain('null'),
  // No key of a delivery request holds a number, date, address or binary, so these only matter when the key is
  // absent; a present key makes them 'unknown'.
  numericequals: plain('opaque'),
  numericnotequals: plain('opaque', true),
  numericlessthan: plain('opaque'),
  numericlessthanequals: plain('opaque'),
  numericgreaterthan: plain('opaque'),
  numericgreaterthanequals: plain('opaque'),
  dateequals: plain('opaque'),
  datenotequals: plain('opaque', true),
  datelessthan: plain('opaque'),
  datelessthanequals: plain('opaque'),
  dategreaterthan: plain('opaque'),
  dategreaterthanequals: plain('opaque'),
  ipaddress: plain('opaque'),
  notipaddress: plain('opaque', true),
  binaryequals: plain('opaque'),
};

const QUALIFIERS = { foranyvalue: 'ForAnyValue', forallvalues: 'ForAllValues' } as const;

/** Parses a condition operator name, case-insensitively; `undefined` for one IAM does not define. */
export function parseOperator(name: string): ConditionOperator | undefined {
  let rest = name.toLowerCase();
  let qualifier: ConditionOperator['qualifier'];
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    qualifier = QUALIFIERS[rest.slice(0, colon) as keyof typeof QUALIFIERS];
    if (qualifier === undefined) return undefined;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('ifexists');
  if (ifExists) rest = rest.slice(0, -'ifexists'.length);
  const base = BASE_OPERATORS[rest];
  if (base === undefined) return undefined;
  // Null tests presence itself: it takes neither a set qualifier nor IfExists.
  if (base.family === 'null' && (ifExists || qualifier !== undefined)) return undefined;
  return { ...base, ifExists, qualifier };
}
