/**
 * Id formats of AWS Organizations, as its API reference gives them (docs/aws-facts.md "Organizations"):
 * an organization `o-` and 10 to 32 lowercase letters or digits; an OU `ou-`, 4 to 32 of them (the root's
 * suffix), `-`, then 8 to 32 more; an account 12 digits.
 */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const ORGANIZATIONAL_UNIT_ID = /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;
export const ACCOUNT_ID = /^\d{12}$/;

/** Whether `id` is an organization id or an OU id (not an account id). */
export function isOrganizationUnitId(id: string): boolean {
  return ORGANIZATION_ID.test(id) || ORGANIZATIONAL_UNIT_ID.test(id);
}

/** Whether `id` is an account, organization or OU id: what `match.accounts` and `S3IR_ALLOWED_ACCOUNTS` take. */
export function isAccountSelector(id: string): boolean {
  return ACCOUNT_ID.test(id) || isOrganizationUnitId(id);
}
