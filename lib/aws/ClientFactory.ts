import type { KMSClient } from '@aws-sdk/client-kms';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { GetCallerIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { assumeRoleCredentials, roleSessionName } from './assumeRoleCredentials.js';
import { AWS_DEFAULTS } from './constants.js';
import { AccessDeniedError, AwsAdapterError } from './errors.js';
import { lazySend } from './lazySend.js';
import { loadSdk } from './loadSdk.js';
import { kmsKeyScope, partitionOfRegion } from './scopes.js';
import { callAws } from './toAdapterError.js';
import type { ClientScope, CredentialProvider } from './types.js';

export interface ClientFactoryOptions {
  /** Default region (default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then us-east-1). */
  region?: string;
  /** The account whose credentials the process holds; learned once with GetCallerIdentity when omitted. */
  homeAccount?: string;
  /** Role assumed in other accounts: `arn:aws:iam::{account}:role/{name}` (default `s3ir-reconcile`). */
  crossAccountRoleName?: string;
  /** Names the AssumeRole session `s3ir-{runId}` so CloudTrail shows which run acted. */
  runId?: string;
  /** Accounts other than home that may be assumed into (default `'any'`). */
  assumableAccounts?: 'any' | readonly string[];
  /** Home-account credentials (default: the SDK's default chain). */
  credentials?: CredentialProvider;
  /** Explicit endpoint for every client. Without it the SDK itself reads `AWS_ENDPOINT_URL[_<SERVICE>]`. */
  endpoint?: string;
  /** Where endpoint variables are looked up to decide on path-style S3 (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  sessionDurationSeconds?: number;
  refreshMarginMs?: number;
}

/** The configuration every client gets; structurally what SDK v3 constructors accept. */
export interface AwsClientConfig {
  region: string;
  credentials?: CredentialProvider;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'adaptive';
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  forcePathStyle?: boolean;
  followRegionRedirects?: boolean;
}

/** An SDK v3 client class, e.g. `DynamoDBClient`, `SNSClient`. */
export type AwsClientClass<C> = new (config: AwsClientConfig) => C;

interface Destroyable {
  destroy(): void;
}

/**
 * The one place SDK clients are made. Clients are cached by (service, account, region); the home account
 * uses the process's credentials, any other account an assumed role, shared by all its clients and renewed
 * before expiry. Every client retries in adaptive mode with timeouts; S3 goes path-style when an endpoint
 * is set (the local AWS). The KMS, SNS, SQS, STS and tagging packages are loaded on first use
 * (lib/aws/loadSdk), and the home account is learned (GetCallerIdentity) only once a scope names an
 * account: a client of the home account needs neither STS nor its package.
 * @example
 * const factory = new ClientFactory({ runId });
 * const s3 = await factory.s3({ account: '222233334444', region: 'eu-west-1' });
 */
export class ClientFactory {
  readonly region: string;
  readonly crossAccountRoleName: string;
  private readonly options: ClientFactoryOptions;
  private readonly pathStyle: boolean;
  private readonly clients = new Map<AwsClientClass<unknown>, Map<string, Destroyable>>();
  private readonly assumed = new Map<string, CredentialProvider>();
  private home: Promise<string> | undefined;

  constructor(options: ClientFactoryOptions = {}) {
    const env = options.env ?? process.env;
    this.options = options;
    this.region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? AWS_DEFAULTS.region;
    this.crossAccountRoleName = options.crossAccountRoleName ?? AWS_DEFAULTS.crossAccountRoleName;
    this.pathStyle = Boolean(options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
    if (options.homeAccount !== undefined) this.home = Promise.resolve(options.homeAccount);
  }

  /** The account of the process's own credentials (one GetCallerIdentity per factory, unless given). */
  homeAccount(): Promise<string> {
    this.home ??= this.callerIdentity()
      .then((identity) => {
        if (!identity.Account) {
          throw new AwsAdapterError({
            code: 'InvalidIdentity',
            message: 'GetCallerIdentity named no account',
          });
        }
        return identity.Account;
      })
      .catch((error: unknown) => {
        this.home = undefined; // let a later call try again
        throw error;
      });
    return this.home;
  }

  /** STS GetCallerIdentity with the home credentials (not memoized: see {@link homeAccount}). */
  async callerIdentity(): Promise<GetCallerIdentityCommandOutput> {
    const [{ GetCallerIdentityCommand }, sts] = await Promise.all([loadSdk('sts'), this.sts()]);
    return callAws('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  }

  /** The role ARN assumed in `account`. */
  roleArn(account: string): string {
    return `arn:${partitionOfRegion(this.region)}:iam::${account}:role/${this.crossAccountRoleName}`;
  }

  /** Whether the options allow assuming into `account` (says nothing about whether STS will agree). */
  mayAssumeInto(account: string): boolean {
    const allowed = this.options.assumableAccounts ?? 'any';
    return allowed === 'any' || allowed.includes(account);
  }

  /**
   * Whether clients for `account` work: the home account, or an assumable account whose role STS lets us
   * assume (tried now). Not memoized: a refusal is worth retrying in a later run.
   * @throws AwsAdapterError for failures other than a refusal (throttling, network).
   */
  async canReach(account: string): Promise<boolean> {
    if (account === (await this.homeAccount())) return true;
    if (!this.mayAssumeInto(account)) return false;
    try {
      await this.credentialsFor(account)();
      return true;
    } catch (error) {
      if (error instanceof AccessDeniedError) return false;
      throw error;
    }
  }

  /**
   * A cached client of any SDK v3 class for the scope, e.g. `factory.client(DynamoDBClient)`. S3 clients
   * come from {@link s3}, which sets path style and region redirects.
   */
  client<C extends Destroyable>(Client: AwsClientClass<C>, scope: ClientScope = {}): Promise<C> {
    return this.scoped(Client, scope, {});
  }

  s3(scope?: ClientScope): Promise<S3Client> {
    // A custom endpoint (the local AWS) serves buckets by path, not by virtual host.
    return this.scoped(S3Client, scope ?? {}, {
      ...(this.pathStyle && { forcePathStyle: true }),
      followRegionRedirects: true,
    });
  }

  async kms(scope?: ClientScope): Promise<KMSClient> {
    return this.client((await loadSdk('kms')).KMSClient, scope);
  }

  async sns(scope?: ClientScope): Promise<SNSClient> {
    return this.client((await loadSdk('sns')).SNSClient, scope);
  }

  async sqs(scope?: ClientScope): Promise<SQSClient> {
    return this.client((await loadSdk('sqs')).SQSClient, scope);
  }

  /** The Resource Groups Tagging API client of a region (the API is regional). */
  async tagging(scope?: ClientScope): Promise<ResourceGroupsTaggingAPIClient> {
    return this.client((await loadSdk('tagging')).ResourceGroupsTaggingAPIClient, scope);
  }

  /** The KMS client for the account and region named in a key ARN (GetKeyPolicy does not work cross-account). */
  kmsForKey(keyArn: string): Promise<KMSClient> {
    return this.kms(kmsKeyScope(keyArn));
  }

  /** An STS client with the home credentials (used for GetCallerIdentity and AssumeRole). */
  async sts(region: string = this.region): Promise<STSClient> {
    const { STSClient } = await loadSdk('sts');
    return this.cached(STSClient, `home|${region}`, () =>
      this.create(STSClient, region, this.options.credentials, {}),
    );
  }

  /** Closes every client's sockets; the factory can be used again afterwards. */
  destroy(): void {
    for (const byScope of this.clients.values()) for (const client of byScope.values()) client.destroy();
    this.clients.clear();
  }

  private credentialsFor(account: string): CredentialProvider {
    if (!this.mayAssumeInto(account)) {
      throw new AccessDeniedError({
        code: 'AssumeRoleNotAllowed',
        message: `Account ${account} is not among the accounts this service may assume into`,
      });
    }
    let provider = this.assumed.get(account);
    if (!provider) {
      provider = assumeRoleCredentials({
        sts: lazySend(() => this.sts()),
        roleArn: this.roleArn(account),
        sessionName: roleSessionName(this.options.runId),
        durationSeconds: this.options.sessionDurationSeconds,
        refreshMarginMs: this.options.refreshMarginMs,
      });
      this.assumed.set(account, provider);
    }
    return provider;
  }

  /** The client of `scope`: home credentials unless another account is named (then its assumed role). */
  private async scoped<C extends Destroyable>(
    Client: AwsClientClass<C>,
    scope: ClientScope,
    extra: Partial<AwsClientConfig>,
  ): Promise<C> {
    const region = scope.region ?? this.region;
    const home = scope.account === undefined || scope.account === (await this.homeAccount());
    const credentials = home ? this.options.credentials : this.credentialsFor(scope.account!);
    return this.cached(Client, `${home ? 'home' : scope.account}|${region}`, () =>
      this.create(Client, region, credentials, extra),
    );
  }

  private cached<C extends Destroyable>(Client: AwsClientClass<C>, key: string, make: () => C): C {
    let byScope = this.clients.get(Client);
    if (!byScope) {
      byScope = new Map();
      this.clients.set(Client, byScope);
    }
    let client = byScope.get(key) as C | undefined;
    if (!client) {
      client = make();
      byScope.set(key, client);
    }
    return client;
  }

  private create<C>(
    Client: AwsClientClass<C>,
    region: string,
    credentials: CredentialProvider | undefined,
    extra: Partial<AwsClientConfig>,
  ): C {
    const config: AwsClientConfig = {
      region,
      maxAttempts: this.options.maxAttempts ?? AWS_DEFAULTS.maxAttempts,
      retryMode: 'adaptive',
      requestHandler: {
        connectionTimeout: this.options.connectionTimeoutMs ?? AWS_DEFAULTS.connectionTimeoutMs,
        requestTimeout: this.options.requestTimeoutMs ?? AWS_DEFAULTS.requestTimeoutMs,
        // Without it a breached requestTimeout only logs a warning (@smithy/node-http-handler 4).
        throwOnRequestTimeout: true,
      },
    };
    if (credentials) config.credentials = credentials;
    if (this.options.endpoint) config.endpoint = this.options.endpoint;
    return new Client({ ...config, ...extra });
  }
}
