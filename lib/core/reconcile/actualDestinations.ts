import type { InventoryConfiguration } from '../inventory/types.js';
import { deliveryTargetsOf } from './deliveryTargets.js';
import { destinationVerdict } from './destinationTrust.js';
import type { BucketFacts, Finding } from './types.js';

export interface ActualDestinationCheck {
  findings: Finding[];
  /** Ids of present configurations whose destination fails the trust boundary. */
  untrusted: Set<string>;
}

/**
 * Checks the destinations of the configurations a bucket has now against the same trust boundary as a put
 * ({@link destinationVerdict}): one present now may be exporting to a bucket that is not allowed or whose
 * owner is not proved. Each becomes an action-required finding, except where this plan puts the
 * configuration anew (`replaced`: that put passed the boundary) and where the desired configuration's
 * finding already names the same configuration and destination (one condition, one finding).
 */
export function checkActualDestinations(
  actual: readonly InventoryConfiguration[],
  facts: BucketFacts,
  allowed: ReadonlySet<string>,
  options: { replaced: ReadonlySet<string>; reported: readonly Finding[]; prune: boolean },
): ActualDestinationCheck {
  const check: ActualDestinationCheck = { findings: [], untrusted: new Set() };
  const reported = new Set(options.reported.map((finding) => `${finding.configId}|${finding.target}`));
  const consequence = options.prune
    ? 'it is configured now and may be exporting there: deleted (the bucket opts into prune)'
    : 'it is configured now and may be exporting there (not deleted: the bucket does not opt into prune)';
  for (const configuration of actual) {
    const id = configuration.Id;
    const targets = deliveryTargetsOf(configuration);
    if (id === undefined || !targets || options.replaced.has(id)) continue;
    const name = targets.destinationBucket;
    const verdict = destinationVerdict(id, name, configuration, facts, allowed, consequence);
    if (verdict.usable) continue;
    check.untrusted.add(id);
    if (!reported.has(`${id}|${name}`)) check.findings.push(verdict.finding);
  }
  return check;
}
