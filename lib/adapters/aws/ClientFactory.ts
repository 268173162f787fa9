import type { KMSClient } from '@aws-sdk/client-kms';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { GetCallerIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { assumeRoleCredentials, roleSessionName } from './assumeRoleCredentials.js';
import { AWS_DEFAULTS } from './constants.js';
import { AccessDeniedError, AwsAdapterError, ClientAccountNotAllowedError } from './errors.js';
import { lazySend } from './lazySend.js';
import { loadSdk } from './loadSdk.js';
import { kmsKeyScope, partitionOfRegion } from './scopes.js';
import { callAws } from './toAdapterError.js';
import { type ClientScope, type CredentialProvider, RolePurpose } from './types.js';

export interface ClientFactoryOptions {
  /** Default region (default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then us-east-1). */
  region?: string;
  /** The account whose credentials the process holds; learned once with GetCallerIdentity when omitted. */
  homeAccount?: string;
  /** Role assumed in other accounts: `arn:aws:iam::{account}:role/{name}` (default `s3ir-reconcile`). */
  crossAccountRoleName?: string;
  /** Read-only role assumed in other accounts for `purpose: 'read'` (default `s3ir-read`). */
  readRoleName?: string;
  /**
   * The role other accounts' clients assume unless a scope names one (default `reconcile`). A function
   * that only reads (the delivery check) sets `read`, so it never holds write-capable credentials.
   */
  purpose?: RolePurpose;
  /** Names the AssumeRole session `s3ir-{runId}` so CloudTrail shows which run acted. */
  runId?: string;
  /**
   * The accounts other than home that clients may be made for and roles assumed into (`S3IR_ALLOWED_ACCOUNTS`).
   * Undefined: the home account alone. Any other account is refused with ClientAccountNotAllowedError before
   * AssumeRole is tried.
   */
  allowedAccounts?: readonly string[];
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

  // Organization scale (#18)
  /**
   * Accounts allowed beyond `allowedAccounts`, resolved at run time (the ACTIVE accounts of the organization
   * or OUs `S3IR_ALLOWED_ACCOUNTS` names). Asked only for an account `allowedAccounts` does not list.
   */
  resolveAllowedAccounts?: () => Promise<ReadonlySet<string>>;
  /** Role assumed for Organizations calls (`S3IR_ORGANIZATION_ROLE_ARN`); unset: the home credentials. */
  organizationRoleArn?: string;
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
 * The one place SDK clients are made. Clients are cached by (service, account, role, region); the home
 * account uses the process's credentials, an allowed other account an assumed role (the reconcile role, or
 * the read-only role for `purpose: 'read'`), shared by all its clients and renewed before expiry. Any other
 * account is refused (ClientAccountNotAllowedError) before STS is asked anything. Every client retries in adaptive mode with timeouts; S3 goes path-style when an endpoint
 * is set (the local AWS). The KMS, SNS, SQS, STS and tagging packages are loaded on first use
 * (lib/adapters/aws/loadSdk), and the home account is learned (GetCallerIdentity) only once a scope names an
 * account: a client of the home account needs neither STS nor its package.
 * @example
 * const factory = new ClientFactory({ runId });
 * const s3 = await factory.s3({ account: '222233334444', region: 'eu-west-1' });
 */
export class ClientFactory {
  readonly region: string;
  readonly crossAccountRoleName: string;
  readonly readRoleName: string;
  private readonly options: ClientFactoryOptions;
  private readonly pathStyle: boolean;
  private readonly clients = new Map<AwsClientClass<unknown>, Map<string, Destroyable>>();
  private readonly assumed = new Map<string, CredentialProvider>();
  private home: Promise<string> | undefined;
  private organizationCredentials: CredentialProvider | undefined;

  constructor(options: ClientFactoryOptions = {}) {
    const env = options.env ?? process.env;
    this.options = options;
    this.region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? AWS_DEFAULTS.region;
    this.crossAccountRoleName = options.crossAccountRoleName ?? AWS_DEFAULTS.crossAccountRoleName;
    this.readRoleName = options.readRoleName ?? AWS_DEFAULTS.readRoleName;
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

  /** The role ARN assumed in `account` for `purpose` (default: the factory's). */
  roleArn(account: string, purpose: RolePurpose = this.purpose()): string {
    const name = purpose === RolePurpose.Read ? this.readRoleName : this.crossAccountRoleName;
    return `arn:${partitionOfRegion(this.region)}:iam::${account}:role/${name}`;
  }

  /**
   * Whether `account` is among the allowed accounts other than home (says nothing about whether STS will
   * agree). The home account itself is always usable, listed or not.
   */
  mayAssumeInto(account: string): boolean {
    return this.options.allowedAccounts?.includes(account) ?? false;
  }

  /**
   * Whether clients for `account` work: the home account, or an allowed account whose role STS lets us
   * assume (tried now). Never tries AssumeRole into an account that is not allowed. Not memoized: a
   * refusal is worth retrying in a later run.
   * @throws AwsAdapterError for failures other than a refusal (throttling, network).
   */
  async canReach(account: string, purpose: RolePurpose = this.purpose()): Promise<boolean> {
    if (account === (await this.homeAccount())) return true;
    if (!(await this.allows(account))) return false;
    try {
      await this.credentialsFor(account, purpose, true)();
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

  /**
   * The Organizations client: of the management or delegated-administrator account, through
   * `organizationRoleArn` when set (assumed once, renewed before expiry), else with the home credentials.
   * Organizations has one endpoint per partition, in us-east-1 for `aws`.
   */
  async organizations(): Promise<OrganizationsClient> {
    const { OrganizationsClient } = await loadSdk('organizations');
    const partition = partitionOfRegion(this.region);
    const region = partition === 'aws' ? 'us-east-1' : this.region;
    const roleArn = this.options.organizationRoleArn;
    if (roleArn === undefined) return this.client(OrganizationsClient, { region });
    this.organizationCredentials ??= assumeRoleCredentials({
      sts: lazySend(() => this.sts()),
      roleArn,
      sessionName: roleSessionName(this.options.runId),
      durationSeconds: this.options.sessionDurationSeconds,
      refreshMarginMs: this.options.refreshMarginMs,
    });
    const credentials = this.organizationCredentials;
    return this.cached(OrganizationsClient, `organization|${region}`, () =>
      this.create(OrganizationsClient, region, credentials, {}),
    );
  }

  /** Whether `account` may be assumed into: listed, or among the accounts resolved at run time. */
  private async allows(account: string): Promise<boolean> {
    if (this.mayAssumeInto(account)) return true;
    const resolve = this.options.resolveAllowedAccounts;
    return resolve !== undefined && (await resolve()).has(account);
  }

  private purpose(): RolePurpose {
    return this.options.purpose ?? RolePurpose.Reconcile;
  }

  /** @throws ClientAccountNotAllowedError for an account outside the allowed list: no AssumeRole is tried. */
  private credentialsFor(account: string, purpose: RolePurpose, checked = false): CredentialProvider {
    if (!checked && !this.mayAssumeInto(account)) throw new ClientAccountNotAllowedError(account);
    const key = `${account}|${purpose}`;
    let provider = this.assumed.get(key);
    if (!provider) {
      provider = assumeRoleCredentials({
        sts: lazySend(() => this.sts()),
        roleArn: this.roleArn(account, purpose),
        sessionName: roleSessionName(this.options.runId),
        durationSeconds: this.options.sessionDurationSeconds,
        refreshMarginMs: this.options.refreshMarginMs,
      });
      this.assumed.set(key, provider);
    }
    return provider;
  }

  /**
   * The client of `scope`: home credentials unless another account is named (then the assumed role of the
   * scope's purpose).
   * @throws ClientAccountNotAllowedError when the account is neither home nor allowed.
   */
  private async scoped<C extends Destroyable>(
    Client: AwsClientClass<C>,
    scope: ClientScope,
    extra: Partial<AwsClientConfig>,
  ): Promise<C> {
    const region = scope.region ?? this.region;
    const home = scope.account === undefined || scope.account === (await this.homeAccount());
    if (home) {
      return this.cached(Client, `home|${region}`, () =>
        this.create(Client, region, this.options.credentials, extra),
      );
    }
    const purpose = scope.purpose ?? this.purpose();
    if (!(await this.allows(scope.account!))) throw new ClientAccountNotAllowedError(scope.account!);
    const credentials = this.credentialsFor(scope.account!, purpose, true);
    return this.cached(Client, `${scope.account}|${purpose}|${region}`, () =>
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
