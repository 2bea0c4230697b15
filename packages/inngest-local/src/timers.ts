// Jobs that need no call to the app: a sleep ends, a wait or an invoke times
// out, a cron fires. Each is applied in one transaction.
import type { Core } from "./core";
import { transaction } from "./core";
import { nextCronTime } from "./cron";
import { SCHEDULED_EVENT } from "./events";
import { ingestEvents } from "./ingest";
import { completeStep } from "./lifecycle";
import { deleteJob, ownsJob, rescheduleJob } from "./store/jobs";
import { consumePauseOfStep } from "./store/pauses";
import { addHistory, lockRun } from "./store/runs";
import { getFunction } from "./store/functions";
import type { JobRow } from "./types";

export async function runTimerJob(core: Core, job: JobRow): Promise<void> {
  if (job.kind === "cron") return fireCron(core, job);
  await transaction(core, async (tx) => {
    if (!(await ownsJob(tx, job, core.workerId))) return;
    const run = job.run_id ? await lockRun(tx, job.run_id) : undefined;
    await deleteJob(tx, job.id);
    if (!run || run.status !== "running" || !job.step_id) return;
    const stepId = job.step_id;
    const name = typeof job.payload["name"] === "string" ? job.payload["name"] : null;
    const race = job.payload["race"] === true;

    if (job.kind === "sleep") {
      await addHistory(tx, run.id, { kind: "step.sleep.done", stepId, stepName: name });
      await completeStep(tx, run, { stepId, op: "Sleep", name, result: { data: null }, attempt: 0, race });
      tx.afterCommit.push(() => core.log.info("sleep finished", { run: run.id, step: name }));
    } else if (job.kind === "wait_timeout") {
      if (!(await consumePauseOfStep(tx, run.id, stepId, "wait"))) return; // already matched
      await addHistory(tx, run.id, { kind: "step.wait.timeout", stepId, stepName: name });
      await completeStep(tx, run, { stepId, op: "WaitForEvent", name, result: { data: null }, attempt: 0, race });
      tx.afterCommit.push(() => core.log.info("wait timed out", { run: run.id, step: name }));
    } else if (job.kind === "invoke_timeout") {
      if (!(await consumePauseOfStep(tx, run.id, stepId, "invoke"))) return;
      const error = { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" };
      await addHistory(tx, run.id, { kind: "step.invoke.timeout", stepId, stepName: name });
      await completeStep(tx, run, { stepId, op: "InvokeFunction", name, result: { error }, attempt: 0, race });
      tx.afterCommit.push(() => core.log.info("invoke timed out", { run: run.id, step: name }));
    }
  });
}

/** A cron tick: an inngest/scheduled.timer event for that one function, then the next tick. */
async function fireCron(core: Core, job: JobRow): Promise<void> {
  const functionId = job.function_id ?? "";
  const cron = typeof job.payload["cron"] === "string" ? job.payload["cron"] : "";
  await transaction(core, async (tx) => {
    if (!(await ownsJob(tx, job, core.workerId))) return;
    const fn = await getFunction(tx, functionId);
    const stillScheduled = fn && !fn.deleted && (fn.config.triggers ?? []).some((t) => t.cron === cron);
    if (!stillScheduled) {
      await deleteJob(tx, job.id);
      return;
    }
    const scheduledAt = job.run_at.getTime();
    const scheduledIso = new Date(scheduledAt).toISOString();
    await ingestEvents(
      core,
      tx,
      [
        {
          name: SCHEDULED_EVENT,
          id: `cron:${functionId}:${scheduledIso}`,
          ts: scheduledAt,
          data: { cron, scheduledAt: scheduledIso, fireAt: new Date(tx.now).toISOString() },
        },
      ],
      { internal: true, onlyFunctionId: functionId },
    );
    // Next tick after the later of the scheduled time and now: a clock moved by
    // a day fires an hourly cron once, not 24 times.
    const next = nextCronTime(cron, Math.max(scheduledAt, tx.now));
    await rescheduleJob(tx, job, next);
    tx.afterCommit.push(() => core.log.info("cron fired", { function: functionId, cron, scheduledAt: scheduledIso }));
  });
}
