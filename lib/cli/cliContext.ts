import { callerArn } from '../adapters/aws/callerIdentity.js';
import { AWS_DEFAULTS } from '../adapters/aws/constants.js';
import { sdkRegion } from '../adapters/aws/sdkRegion.js';
import { type CliDeps, cliWiring } from '../wiring/cliWiring.js';
import { readServiceConfig, ServiceConfigError } from '../wiring/serviceConfig.js';
import { serviceFactory } from '../wiring/serviceFactory.js';
import { UserError } from './errors.js';
import type { CliIo } from './io.js';

/** What the AWS-facing commands share: the CLI's deps (lib/wiring/cliWiring) over the SDK's own environment. */
export interface CliContext {
  service: CliDeps;
  /** The STS caller ARN; when STS does not answer, `unverified:$USER` (or `unverified:unknown`). Asked once. */
  actor(): Promise<string>;
  close(): void;
}

/**
 * The home region, as the SDK resolves it (`--region` lands in `AWS_REGION` first), and said on stderr when
 * nobody gave it explicitly: from the profile's config, or us-east-1 when nothing names one, as the AWS CLI's
 * users would not expect silently.
 */
export async function cliRegion(io: CliIo): Promise<string> {
  const explicit = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;
  const profile = io.env.AWS_PROFILE || 'default';
  const fromConfig = await sdkRegion();
  if (fromConfig) {
    io.err(`s3ir: region ${fromConfig} (from profile "${profile}" in the AWS config file)\n`);
    return fromConfig;
  }
  io.err(
    `s3ir: region ${AWS_DEFAULTS.region}: no region given (--region, AWS_REGION, or region in profile "${profile}")\n`,
  );
  return AWS_DEFAULTS.region;
}

/**
 * Builds the service deps from the environment (`AWS_*` as the SDK reads them, `S3IR_*` with the Contract's
 * defaults) in the region {@link cliRegion} settles. Nothing else is called until a command needs it.
 */
export async function createCliContext(io: CliIo): Promise<CliContext> {
  // DESIGN.md supports Node 20; the SDK's notice that its 2027 releases will not is noise on every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let config: ReturnType<typeof readServiceConfig>;
  try {
    config = readServiceConfig(io.env);
  } catch (error) {
    if (error instanceof ServiceConfigError) throw new UserError(`bad environment: ${error.message}`);
    throw error;
  }
  const region = await cliRegion(io);
  const service = cliWiring(config, serviceFactory(config, { region }));
  let actor: Promise<string> | undefined;
  return {
    service,
    actor: () => {
      // Who acted is recorded even when STS cannot say, but never passed off as verified.
      actor ??= callerArn(service.factory).then((arn) => arn ?? `unverified:${io.env.USER || 'unknown'}`);
      return actor;
    },
    close: () => service.factory.destroy(),
  };
}

/** Runs `body` with a context and closes its clients afterwards (so the process can exit promptly). */
export async function withCliContext<T>(io: CliIo, body: (context: CliContext) => Promise<T>): Promise<T> {
  const context = await createCliContext(io);
  try {
    return await body(context);
  } finally {
    context.close();
  }
}
