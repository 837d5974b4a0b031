import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

export interface SpawnedService {
  name: string;
  process: ChildProcess;
  /** `http://host:port` from the service's "listening" log line. */
  httpUrl: string;
  /** Every stdout/stderr line so far (for failure messages and log assertions). */
  lines: string[];
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Runs a service's real `main` (TypeScript, through tsx, with workspace
 * packages resolved to their sources) in its own process on port 0, and
 * resolves once it logs `"msg":"listening"` with its URL — the same line an
 * operator reads. Rejects with the process output if it exits or stalls first.
 */
export async function spawnService(options: {
  name: string;
  /** Absolute path of the main module. */
  main: string;
  cwd: string;
  env: Record<string, string>;
}): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@copycloud/source', options.main], {
    cwd: options.cwd,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const httpUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start:\n${lines.join('\n')}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a JSON log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code} before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    name: options.name,
    process: child,
    httpUrl,
    lines,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A port the OS just gave us: bind port 0, read it, release it. Only for
 * programs that cannot listen on port 0 themselves (redis-server, HAProxy).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
