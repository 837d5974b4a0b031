// The load generator in its own process (forked by run.ts): runs one task at a
// time on request over IPC and answers {id, result} or {id, error}. Keeping
// the clients out of the runner and out of the nodes makes the servers' CPU
// figures theirs alone; each result carries the generator's own CPU apart.
import { configure, runKeystrokeHistory, runStream } from './load.js';
import type { LoadTask } from './types.js';

process.on('message', async ({ id, task }: { id: number; task: LoadTask }) => {
  try {
    let result: unknown;
    switch (task.kind) {
      case 'configure':
        result = configure(task.quick, task.tracesDir);
        break;
      case 'stream':
        result = await runStream(task);
        break;
      case 'keystroke-history':
        result = await runKeystrokeHistory(task);
        break;
      default: {
        const unknown: never = task;
        throw new Error(`unknown load task ${JSON.stringify(unknown)}`);
      }
    }
    process.send!({ id, result });
  } catch (error) {
    process.send!({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
