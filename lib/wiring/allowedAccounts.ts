import { allowedAccountSet } from '../core/reconcile/allowedAccounts.js';
import type { ServiceConfig } from './serviceConfig.js';

/**
 * `S3IR_ALLOWED_ACCOUNTS` with the home account, resolved on first use (the home account costs an STS call)
 * and kept for the life of the process. A failed resolution is not kept: the next bucket asks again. With
 * `organization`, the accounts of its organization and OU ids (as the last sweep resolved them) join them.
 */
export function allowedAccountsOnce(
  config: Pick<ServiceConfig, 'allowedAccounts'>,
  homeAccount: () => Promise<string>,
  organization?: () => Promise<ReadonlySet<string>>,
): () => Promise<ReadonlySet<string>> {
  let allowed: Promise<ReadonlySet<string>> | undefined;
  const listed = () => {
    if (!allowed) {
      allowed = homeAccount().then((home) => allowedAccountSet(config.allowedAccounts, home));
      allowed.catch(() => {
        allowed = undefined;
      });
    }
    return allowed;
  };
  if (organization === undefined) return listed;
  return async () => {
    const [own, resolved] = await Promise.all([listed(), organization()]);
    return resolved.size === 0 ? own : new Set([...own, ...resolved]);
  };
}
