import { allowedAccountSet } from '../core/reconcile/allowedAccounts.js';
import type { ServiceConfig } from './serviceConfig.js';

/**
 * `S3IR_ALLOWED_ACCOUNTS` with the home account, resolved on first use (the home account costs an STS call)
 * and kept for the life of the process. A failed resolution is not kept: the next bucket asks again.
 */
export function allowedAccountsOnce(
  config: Pick<ServiceConfig, 'allowedAccounts'>,
  homeAccount: () => Promise<string>,
): () => Promise<ReadonlySet<string>> {
  let allowed: Promise<ReadonlySet<string>> | undefined;
  return () => {
    if (!allowed) {
      allowed = homeAccount().then((home) => allowedAccountSet(config.allowedAccounts, home));
      allowed.catch(() => {
        allowed = undefined;
      });
    }
    return allowed;
  };
}
