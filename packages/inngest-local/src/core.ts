// What every part of the engine shares: the pool, the clock, the logger and
// the options. Passed explicitly rather than kept in module state, so several
// engines can live in one process (tests do that).
import type { Clock } from "./clock";
import { withTx, type Pool, type Tx } from "./db";
import type { Logger } from "./log";
import type { ResolvedOptions } from "./options";
import type { TriggeredFunction } from "./store/functions";

export interface Core {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly log: Logger;
  readonly options: ResolvedOptions;
  /** Identifies this engine in leases (jobs.locked_by). */
  readonly workerId: string;
  /** LISTEN/NOTIFY channel of this schema. */
  readonly channel: string;
  /** Options already reported as not enforced, per function. */
  readonly warned: Set<string>;
  /** Functions per event name, valid while registry_version is unchanged. */
  readonly triggerCache: Map<string, { version: string; functions: TriggeredFunction[] }>;
  /**
   * Ingests the events a finished run emits (function.finished, …) in the
   * caller's transaction. Injected so that the run lifecycle does not import
   * ingestion, which itself starts and resumes runs through the lifecycle.
   */
  readonly emitLifecycle: (tx: Tx, events: Array<Record<string, unknown>>) => Promise<void>;
  /** Wakes this engine's job loop (other engines are woken by NOTIFY). */
  wakeLocal: () => void;
  stopping: boolean;
}

export async function transaction<T>(core: Core, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { value, tx } = await withTx(
    core.pool,
    () => core.clock.now(),
    core.channel,
    async (tx) => {
      const value = await fn(tx);
      if (tx.notify) tx.afterCommit.push(() => core.wakeLocal());
      return value;
    },
  );
  void tx;
  return value;
}
