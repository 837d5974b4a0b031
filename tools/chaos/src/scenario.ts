/**
 * The contract between the chaos runner (main.ts) and each scenario. A
 * scenario starts what it needs through the harness, runs its workload and
 * nemesis, checks the outcome and reports counts; it never decides the exit
 * code itself (the runner does, from `lost` and `broken`).
 */
export interface ScenarioContext {
  /** The run's seed; a scenario derives its own PRNG from it (and its name). */
  readonly seed: number;
  /** --quick: a CI-sized run (the whole suite ≤ 5 min on 2 cores). */
  readonly quick: boolean;
  /** Writes a progress line to stderr (never to stdout, which carries the table). */
  log(message: string): void;
}

export interface ScenarioResult {
  /** Faults injected (e.g. "SIGKILL n1 ×2, redis restart ×1"). */
  faults: string;
  /** Edits (tokens) that some node acknowledged as saved. */
  acknowledged: number;
  /** Acknowledged edits missing from Postgres or from a replica at the end. */
  lost: number;
  /** Documents that could not be loaded from Postgres, or replicas that differ, at the end. */
  broken: number;
  /** Time from the end of the last fault to every replica and Postgres agreeing, ms (null: never). */
  convergeMs: number | null;
  /** Anything else a reader needs (e.g. "bad sockets closed 4422: 312, 4400: 41"). */
  notes?: string;
  /**
   * Failures other than lost edits or broken documents (e.g. "n1 exited 1
   * after SIGTERM", "n2 died on its own"); any makes the run fail.
   */
  violations?: string[];
}

export interface Scenario {
  readonly name: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
