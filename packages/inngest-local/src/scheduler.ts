// The job loop: claims due jobs (leases + SKIP LOCKED, so several loops or
// engines share one database without running a job twice), runs up to
// `concurrency` of them at once, and sleeps until woken (NOTIFY, a local
// insert, a finished job) or until the next job is due.
import type { Core } from "./core";
import { transaction } from "./core";
import { CallAbandoned, runCallJob } from "./executor";
import { errorMessage } from "./log";
import { acquireConcurrency, claimJobs, nextDueAt, releaseAllJobs, releaseJob, renewLease } from "./store/jobs";
import { runTimerJob } from "./timers";
import type { JobRow } from "./types";

export class Scheduler {
  private readonly inflight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;

  constructor(private readonly core: Core) {}

  start(): void {
    this.loopDone = this.loop();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  get busy(): number {
    return this.inflight.size;
  }

  private async loop(): Promise<void> {
    const { options, clock, pool, workerId, log } = this.core;
    while (!this.stopped) {
      try {
        const capacity = options.concurrency - this.inflight.size;
        this.woken = false;
        if (capacity > 0) {
          const jobs = await claimJobs(pool, clock.now(), capacity, options.leaseMs, workerId);
          for (const job of jobs) this.dispatch(job);
          if (jobs.length === capacity || this.woken) continue;
          const due = await nextDueAt(pool);
          const delay = due === undefined ? options.pollIntervalMs : Math.min(options.pollIntervalMs, Math.max(0, due - clock.now()));
          if (!this.woken) await this.pause(delay);
        } else {
          await this.pause(options.pollIntervalMs); // woken when a running job finishes
        }
      } catch (error) {
        if (this.stopped) break;
        log.error("job loop error", { error: errorMessage(error) });
        await this.pause(1_000);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      if (this.woken || this.stopped) done();
    });
  }

  private dispatch(job: JobRow): void {
    const controller = new AbortController();
    const done = this.execute(job, controller).finally(() => {
      this.inflight.delete(job.id);
      this.wake();
    });
    this.inflight.set(job.id, { controller, done });
  }

  private async execute(job: JobRow, controller: AbortController): Promise<void> {
    const { core } = this;
    const { pool, workerId, options, clock, log } = core;
    try {
      if (job.kind !== "call") {
        await runTimerJob(core, job);
        return;
      }
      if (job.concurrency_keys.length > 0) {
        const acquired = await transaction(core, (tx) => acquireConcurrency(tx, job));
        if (!acquired) {
          // At the limit: try again shortly, without counting an attempt.
          await releaseJob(pool, job.id, workerId, clock.now() + Math.min(options.pollIntervalMs, 200));
          return;
        }
      }
      const heartbeat = setInterval(
        () => {
          renewLease(pool, job.id, workerId, options.leaseMs).catch(() => {});
        },
        Math.max(50, Math.floor(options.leaseMs / 3)),
      );
      try {
        await runCallJob(core, job, controller.signal);
      } finally {
        clearInterval(heartbeat);
      }
    } catch (error) {
      if (error instanceof CallAbandoned) {
        await releaseJob(pool, job.id, workerId).catch(() => {});
        return;
      }
      log.error("job failed unexpectedly; retrying", { job: job.id, kind: job.kind, run: job.run_id, error: errorMessage(error) });
      await releaseJob(pool, job.id, workerId, clock.now() + 1_000).catch(() => {});
    }
  }

  /** Stops claiming, lets in-flight jobs finish for `graceMs`, abandons the rest (their leases are released). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loopDone;
    const pending = () => Promise.allSettled([...this.inflight.values()].map((entry) => entry.done));
    if (this.inflight.size > 0) {
      await Promise.race([pending(), new Promise((resolve) => setTimeout(resolve, graceMs))]);
      for (const entry of this.inflight.values()) entry.controller.abort();
      await pending();
    }
    await releaseAllJobs(this.core.pool, this.core.workerId).catch(() => {});
  }
}
