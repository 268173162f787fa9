import type { TemplateDeclaration } from '../desired/resolveTemplates.js';
import type { DesiredBucket } from '../desired/types.js';
import type { OrganizationMembership } from '../organization/types.js';
import type { GrantTarget } from '../policy/types.js';

/** A bucket declared by its own items, with the account its settings name (absent: the home account). */
export interface DeclaredSource extends DesiredBucket {
  account?: string;
  /** Where the bucket is, when declared or learned: its destinations must be there too. */
  region?: string;
}

/** What the sweep knows of the whole desired catalog, for the grants it must hold (#18 point 4). */
export interface GrantCatalog {
  /** Every bucket with items of its own. */
  declared: readonly DeclaredSource[];
  templates: readonly TemplateDeclaration[];
  /** How many template items the catalog refused: their reach is unknown, so nothing is pruned. */
  refusedTemplates: number;
  /** Set when the catalog could not list every declaration (why): accounts are then only added. */
  incomplete?: string;
}

/** Where the accounts of a catalog are bounded: the deployment's settings and the organization. */
export interface GrantBounds {
  home: string;
  /** `S3IR_ALLOWED_ACCOUNTS` with the home account and the organization's resolved accounts. */
  allowed: ReadonlySet<string>;
  /** The organization as the sweep resolved it; undefined without organization or OU ids configured. */
  membership: OrganizationMembership | undefined;
}

/**
 * A delivery that keeps an account in a policy: a configuration of a declared bucket (`bucket` known) or of a
 * template (`bucket` unknown: the template may select any bucket of the account).
 */
export interface ReachingDelivery {
  account: string;
  /** The declared source bucket; absent for a template's configuration. */
  bucket?: string;
  configurationId: string;
  prefix?: string;
  enforce: boolean;
}

/** One destination bucket policy or key policy, and every declared delivery that needs it. */
export interface ReachedPolicy {
  target: GrantTarget;
  /** The destination bucket, or the key ARN. */
  name: string;
  /** From the destination ARN: `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
  /** Sorted by account, then bucket, then configuration. */
  deliveries: ReachingDelivery[];
  /**
   * The account that must own a destination: the configurations' AccountId, else their source's account,
   * when every configuration expects the same one (undefined when they disagree: the sweep leaves it).
   */
  owner?: string;
  /** For a key: the destination buckets its configurations deliver to, sorted (the first is its audit home). */
  destinations: string[];
  /** Regions the declared sources of a destination are known to be in (its own region, as S3 requires). */
  sourceRegions: string[];
  /**
   * Set on a policy no declaration names any more, which the step wrote our statement to (lib/core/grants/
   * grantRecords): our statement is removed, in the mode the last declarations had.
   */
  unnamed?: { enforce: boolean };
}

/** The policies a catalog needs, and why accounts may not be pruned this sweep. */
export interface GrantReach {
  /** Destination bucket policies by bucket name, then key policies by ARN; each sorted by name. */
  policies: ReachedPolicy[];
  /**
   * Why the catalog cannot say every account that must stay granted (a refused template, an invalid item, an
   * organization not resolved): accounts are then only added this sweep, never removed.
   */
  partial: string[];
}
