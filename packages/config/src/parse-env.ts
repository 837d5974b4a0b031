import type { z } from 'zod';

/** Thrown when environment variables do not validate; lists every bad variable. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses `env` (defaults to nothing: libraries never read process.env, only a
 * `main` passes it in) against an object schema whose keys are variable names.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  // Treat empty strings as unset, as shells and compose files often export VAR=.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(env)';
    const seen = cleaned[String(issue.path[0])];
    const shown = seen === undefined ? 'unset' : `got ${JSON.stringify(redact(String(issue.path[0]), seen))}`;
    return `${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/i;
function redact(name: string, value: string): string {
  if (SECRET_NAME.test(name)) return '***';
  // Credentials inside URLs (postgres://user:pass@host) never reach a log.
  return value.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/**
 * Runs `parse` and, on a ConfigError, prints it and exits with status 78
 * (EX_CONFIG). For a process `main` only.
 */
export function loadConfigOrExit<T>(parse: () => T, serviceName: string): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${serviceName}: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
