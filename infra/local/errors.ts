/**
 * Errors of the local AWS. Each is safe to show a user (`userFacing`): it says what went wrong and
 * what to do. Anything else escaping `startLocalAws()` is a bug.
 */
export class LocalAwsError extends Error {
  readonly userFacing: boolean = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalAwsError';
  }
}

/** `java` is not on PATH (nor under `JAVA_HOME`): DynamoDB Local cannot run. */
export class JavaNotFoundError extends LocalAwsError {
  constructor(command: string, options?: ErrorOptions) {
    super(
      `DynamoDB Local needs a Java 17 runtime, and "${command}" was not found. ` +
        'Install one (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME.',
      options,
    );
    this.name = 'JavaNotFoundError';
  }
}

/** `moto_server` is not on PATH (or its Python has no moto). */
export class MotoNotFoundError extends LocalAwsError {
  constructor(command: string, options?: ErrorOptions) {
    super(
      `The local AWS needs moto's server, and "${command}" was not found. ` +
        "Install it with: pip install 'moto[server]==5.2.1'",
      options,
    );
    this.name = 'MotoNotFoundError';
  }
}

/** A child service (moto, DynamoDB Local) exited or did not answer in time; carries its last output. */
export class ServiceStartError extends LocalAwsError {
  readonly service: string;
  readonly output: string;

  constructor(service: string, reason: string, output: string, options?: ErrorOptions) {
    super(
      `${service} did not start: ${reason}${output ? `\n--- last output of ${service} ---\n${output}` : ''}`,
      options,
    );
    this.name = 'ServiceStartError';
    this.service = service;
    this.output = output;
  }
}

/** DynamoDB Local could not be fetched, or what was fetched does not match the pinned checksums. */
export class DynamoDbLocalFetchError extends LocalAwsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DynamoDbLocalFetchError';
  }
}

/** The resource definitions in `infra/resources` could not be read or use something we cannot create. */
export class ResourceDefinitionError extends LocalAwsError {
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(`${file}: ${message}`, options);
    this.name = 'ResourceDefinitionError';
    this.file = file;
  }
}
