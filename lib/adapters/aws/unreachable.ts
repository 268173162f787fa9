/** Node's network error codes, as the reason a person reads. */
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

interface NetworkErrorLike {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The first network error in `error`, its causes, or the errors of an AggregateError (Node's happy eyeballs). */
function findNetworkError(error: unknown, depth = 0): NetworkErrorLike | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const candidate = error as NetworkErrorLike;
  if (typeof candidate.code === 'string' && candidate.code in REASONS) {
    const inner = Array.isArray(candidate.errors)
      ? findNetworkError(candidate.errors[0], depth + 1)
      : undefined;
    return inner ?? candidate;
  }
  if (Array.isArray(candidate.errors)) {
    for (const inner of candidate.errors) {
      const found = findNetworkError(inner, depth + 1);
      if (found) return found;
    }
  }
  return findNetworkError(candidate.cause, depth + 1);
}

/**
 * When `error` means AWS could not be reached at all: "cannot reach ENDPOINT (connection refused)", naming
 * `AWS_ENDPOINT_URL` when it is set (the local AWS), else the address the connection went to.
 */
export function unreachableMessage(
  error: unknown,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const network = findNetworkError(error);
  if (!network) return undefined;
  const reason = REASONS[network.code as string];
  const address =
    typeof network.address === 'string'
      ? `${network.address}${typeof network.port === 'number' ? `:${network.port}` : ''}`
      : typeof network.hostname === 'string'
        ? network.hostname
        : undefined;
  const endpoint = env.AWS_ENDPOINT_URL || address || 'the AWS endpoint';
  const hint = env.AWS_ENDPOINT_URL
    ? ' Is the local AWS running there (s3ir local start), and is AWS_ENDPOINT_URL right?'
    : ' Check the network, the region and any proxy settings.';
  return `cannot reach ${endpoint} (${reason}).${hint}`;
}
