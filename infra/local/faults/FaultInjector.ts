import { parseFaultRules } from './parseFaultRules.js';
import type { FaultCall, FaultDecision, FaultRule, FaultRuleView } from './types.js';

/** mulberry32: a tiny seeded generator, so `seed` makes a rule's error draws repeatable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface ActiveRule {
  rule: FaultRule;
  injected: number;
  random: () => number;
  /** Epoch ms after which the rule matches nothing (`forMs`). */
  until?: number;
}

function matches({ rule, until }: ActiveRule, call: FaultCall, now: number): boolean {
  return (
    (until === undefined || now < until) &&
    (rule.service === undefined || rule.service === call.service) &&
    (rule.operation === undefined || rule.operation === call.operation) &&
    (rule.bucket === undefined || rule.bucket === call.bucket)
  );
}

function view({ rule, injected, until }: ActiveRule): FaultRuleView {
  const { id, service, operation, bucket, latencyMs, error, count, seed, forMs } = rule;
  return {
    id,
    ...(service !== undefined ? { service } : {}),
    ...(operation !== undefined ? { operation } : {}),
    ...(bucket !== undefined ? { bucket } : {}),
    ...(latencyMs > 0 ? { latencyMs } : {}),
    ...(error
      ? { errorRate: error.rate, status: error.status, code: error.code, message: error.message }
      : {}),
    ...(count !== undefined ? { count } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(forMs !== undefined ? { forMs } : {}),
    ...(until !== undefined ? { until: new Date(until).toISOString() } : {}),
    remaining: count === undefined ? null : count - injected,
    injected,
  };
}

/**
 * The fault rules of `/_local/faults` (DESIGN.md, Contract) and the decision for each call.
 * Rules add up: the latencies of every matching rule are summed; matching error rules are tried in
 * the order they were added, and the first whose draw (`errorRate`) hits and whose `count` is not
 * used up answers the call. A rule whose count is used up keeps adding its latency; a rule with `forMs`
 * matches nothing once that long has passed since it was added.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private readonly now: () => number;

  /** `now` (epoch ms, default Date.now) times the rules that last `forMs`. */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Validates and adds the rules of a `POST` body (all or none); returns them as listed. */
  add(body: unknown): FaultRuleView[] {
    const parsed = parseFaultRules(body, this.nextId);
    this.nextId += parsed.length;
    const now = this.now();
    const added: ActiveRule[] = parsed.map((rule) => ({
      rule,
      injected: 0,
      random: rule.seed === undefined ? Math.random : seededRandom(rule.seed),
      ...(rule.forMs !== undefined ? { until: now + rule.forMs } : {}),
    }));
    this.rules.push(...added);
    return added.map(view);
  }

  /** Drops every rule; returns how many there were. */
  clear(): number {
    const count = this.rules.length;
    this.rules = [];
    return count;
  }

  list(): FaultRuleView[] {
    return this.rules.map(view);
  }

  /** True when no rule is set, so the gateway can skip the decision entirely. */
  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** What to do to this call. Counts the injected error against its rule. */
  decide(call: FaultCall): FaultDecision {
    let latencyMs = 0;
    let error: FaultDecision['error'];
    const now = this.now();
    for (const active of this.rules) {
      if (!matches(active, call, now)) continue;
      latencyMs += active.rule.latencyMs;
      const fault = active.rule.error;
      if (error || !fault) continue;
      const { count } = active.rule;
      if (count !== undefined && active.injected >= count) continue;
      if (fault.rate < 1 && active.random() >= fault.rate) continue;
      active.injected += 1;
      error = { ruleId: active.rule.id, status: fault.status, code: fault.code, message: fault.message };
    }
    return { latencyMs, ...(error ? { error } : {}) };
  }
}
