/**
 * The local AWS's only way to print: one line per message on stderr, so stdout stays free for the
 * command's own output (`s3ir local start` prints the endpoint there).
 * `S3IR_LOCAL_LOG=debug` shows debug lines (child process output, proxied requests); `silent` hides all.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function isLogLevel(value: string | undefined): value is LogLevel {
  return value !== undefined && value in order;
}

/** A logger for one component (`moto`, `dynamodb-local`, `gateway`), writing `[local-aws:name] message`. */
export function createLogger(name: string, level?: LogLevel): Logger {
  const envLevel = process.env.S3IR_LOCAL_LOG;
  const threshold = order[level ?? (isLogLevel(envLevel) ? envLevel : 'info')];
  const write = (at: LogLevel, message: string) => {
    if (order[at] < threshold) return;
    process.stderr.write(`[local-aws:${name}] ${at === 'info' ? '' : `${at}: `}${message}\n`);
  };
  return {
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}
