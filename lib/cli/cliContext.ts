import { callerArn } from '../aws/callerIdentity.js';
import { createServiceDeps, type ServiceDeps } from '../aws/createServiceDeps.js';
import { readServiceConfig, ServiceConfigError } from '../aws/serviceConfig.js';
import { UserError } from './errors.js';
import type { CliIo } from './io.js';

/** What the AWS-facing commands share: the service's deps over the SDK's own environment. */
export interface CliContext {
  service: ServiceDeps;
  /** The STS caller ARN, else `$USER`, else `unknown` (asked once). */
  actor(): Promise<string>;
  close(): void;
}

/**
 * Builds the service deps from the environment (`AWS_*` as the SDK reads them, `S3IR_*` with the Contract's
 * defaults). Nothing is called until a command needs it.
 */
export function createCliContext(io: CliIo): CliContext {
  // DESIGN.md supports Node 20; the SDK's notice that its 2027 releases will not is noise on every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let service: ServiceDeps;
  try {
    service = createServiceDeps(readServiceConfig(io.env));
  } catch (error) {
    if (error instanceof ServiceConfigError) throw new UserError(`bad environment: ${error.message}`);
    throw error;
  }
  let actor: Promise<string> | undefined;
  return {
    service,
    actor: () => {
      actor ??= callerArn(service.factory).then((arn) => arn ?? io.env.USER ?? 'unknown');
      return actor;
    },
    close: () => service.factory.destroy(),
  };
}

/** Runs `body` with a context and closes its clients afterwards (so the process can exit promptly). */
export async function withCliContext<T>(io: CliIo, body: (context: CliContext) => Promise<T>): Promise<T> {
  const context = createCliContext(io);
  try {
    return await body(context);
  } finally {
    context.close();
  }
}
