import type { IncomingHttpHeaders } from 'node:http';
import { MOTO_DEFAULT_ACCOUNT_ID } from '../constants.js';
import type { IdentifiedCall } from './identifyCall.js';

const ACCOUNT = /^\d{12}$/;

/**
 * The accounts the local AWS has seen: moto's default one, every `x-moto-account-id`, and the
 * account of every role assumed through the gateway. moto keeps buckets per account but has no call
 * that names a bucket's owner, so report delivery asks each known account's ListBuckets instead.
 */
export class KnownAccounts {
  private readonly accounts = new Set<string>([MOTO_DEFAULT_ACCOUNT_ID]);

  add(account: string | undefined): void {
    if (account !== undefined && ACCOUNT.test(account)) this.accounts.add(account);
  }

  /** Learns what one request reveals (cheap: no I/O). */
  noteRequest(headers: IncomingHttpHeaders, call: IdentifiedCall): void {
    const motoAccount = headers['x-moto-account-id'];
    if (typeof motoAccount === 'string') this.add(motoAccount);
    if (call.service === 'sts' && call.operation === 'AssumeRole' && call.body) {
      const roleArn = new URLSearchParams(call.body.toString('utf8')).get('RoleArn');
      this.add(roleArn?.split(':')[4]);
    }
  }

  /** Every known account, moto's default first. */
  list(): string[] {
    return [...this.accounts];
  }
}
