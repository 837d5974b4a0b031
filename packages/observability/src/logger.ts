import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Query-string parameters whose values never reach a log line. */
const SECRET_PARAMS = /([?&](?:token|access_token|key)=)[^&#\s]*/gi;

/** Redacts tokens carried in URLs (e.g. `/yjs/doc?token=JWT`). */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export interface LoggerConfig {
  name: string;
  level: string;
  /** Where to write; defaults to stdout. Tests pass a stream to assert on lines. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level,
    redact: {
      paths: ['token', 'password', 'authorization', 'req.headers.authorization', 'req.headers.cookie', '*.token', '*.password'],
      censor: '[redacted]',
    },
    serializers: {
      url: (value: unknown) => (typeof value === 'string' ? redactUrl(value) : value),
    },
  };
  return config.destination ? pino(options, config.destination as never) : pino(options);
}
