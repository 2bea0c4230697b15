// Event ingestion, in the caller's transaction: store the event, drop repeats
// of an id within the dedupe window, cancel and resume the runs whose pauses
// it matches, then start the functions it triggers.
import type { Core } from "./core";
import type { Tx } from "./db";
import { json } from "./db";
import { INVOKED_EVENT } from "./events";
import { matches } from "./expressions";
import { seededUlid, ulid } from "./ids";
import { completeStep, finalizeRun, startRun } from "./lifecycle";
import { getFunction, functionsTriggeredBy, type TriggeredFunction } from "./store/functions";
import { deleteJobByKey } from "./store/jobs";
import { consumePause, findPauseCandidates, type PauseCandidate } from "./store/pauses";
import { addHistory } from "./store/runs";
import { lockRun } from "./store/runs";
import type { EventPayload } from "./types";

export class EventValidationError extends Error {}

/** Checks the shape of events from the API before any transaction starts. */
export function validateEvents(body: unknown): Array<Record<string, unknown>> {
  const list = Array.isArray(body) ? body : [body];
  return list.map((item, i) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw new EventValidationError(`event ${i} is not an object`);
    const event = item as Record<string, unknown>;
    if (typeof event["name"] !== "string" || event["name"] === "") throw new EventValidationError(`event ${i} has no name`);
    if (event["data"] !== undefined && event["data"] !== null && (typeof event["data"] !== "object" || Array.isArray(event["data"]))) {
      throw new EventValidationError(`event ${i}: data must be an object`);
    }
    if (event["id"] !== undefined && event["id"] !== null && typeof event["id"] !== "string") {
      throw new EventValidationError(`event ${i}: id must be a string`);
    }
    return event;
  });
}

export interface IngestOptions {
  /** x-inngest-event-id-seed: derive stable ids so a retried POST is recognised. */
  seed?: string | null;
  /** Lifecycle events emitted by the engine itself. */
  internal?: boolean;
  /** Only start this function (cron); no name-based triggering. */
  onlyFunctionId?: string;
}

export async function ingestEvents(
  core: Core,
  tx: Tx,
  raw: Array<Record<string, unknown>>,
  options: IngestOptions = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    ids.push(await ingestOne(core, tx, raw[i]!, i, options));
  }
  return ids;
}

async function ingestOne(core: Core, tx: Tx, raw: Record<string, unknown>, index: number, options: IngestOptions): Promise<string> {
  const userId = typeof raw["id"] === "string" && raw["id"] !== "" ? raw["id"] : undefined;
  const seeded = options.seed ? seededUlid(options.seed, index) : undefined;
  const internalId = !userId && seeded ? seeded : ulid(tx.now);

  const { id: _id, name, data, ts, user, ...rest } = raw;
  const event: EventPayload = {
    ...rest,
    name: name as string,
    data: (data && typeof data === "object" ? data : {}) as Record<string, unknown>,
    id: userId ?? internalId,
    ts: typeof ts === "number" ? ts : tx.now,
    user: (user && typeof user === "object" ? user : {}) as Record<string, unknown>,
  };

  let deduplicated = false;
  if (userId) {
    const { rowCount } = await tx.prepared(
      "insert_event_id",
      `INSERT INTO event_ids (event_id, received_at) VALUES ($1, $2)
       ON CONFLICT (event_id) DO UPDATE SET received_at = EXCLUDED.received_at WHERE event_ids.received_at <= $3`,
      [userId, new Date(tx.now), new Date(tx.now - core.options.eventDedupeWindowMs)],
    );
    deduplicated = !rowCount;
  }

  // One round trip: store the event, and learn what matching it needs (the
  // registry version for the trigger cache, the match paths of waiting runs).
  const { rows } = await tx.prepared<{ inserted: number; version: string; paths: string[]; unindexed: boolean }>(
    "insert_event",
    `WITH ins AS (
       INSERT INTO events (id, event_id, name, payload, received_at, deduplicated, internal) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING RETURNING id
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted,
            (SELECT version FROM registry_version WHERE id) AS version,
            ARRAY(SELECT match_path FROM pause_paths WHERE event_name = $3) AS paths,
            EXISTS (SELECT 1 FROM pauses WHERE event_name = $3 AND match_path IS NULL) AS unindexed`,
    [internalId, event.id, event.name, json(event), new Date(tx.now), deduplicated, Boolean(options.internal)],
  );
  const inserted = rows[0]!;
  if (!inserted.inserted) {
    // The SDK retried a POST that already went through: same seed, same id.
    tx.afterCommit.push(() => core.log.debug("event repeated by a retried request", { name: event.name, id: internalId }));
    return internalId;
  }
  const logFields = { name: event.name, id: internalId, eventId: userId };
  if (deduplicated) {
    tx.afterCommit.push(() => core.log.info("event deduplicated (id seen within 24h)", logFields));
    return internalId;
  }
  tx.afterCommit.push(() => (options.internal ? core.log.debug("event emitted", logFields) : core.log.info("event received", logFields)));

  if (options.onlyFunctionId) {
    const fn = await getFunction(tx, options.onlyFunctionId);
    if (fn && !fn.deleted) await startRun(core, tx, fn, event, internalId);
    return internalId;
  }

  if (inserted.paths.length > 0 || inserted.unindexed) await resumePauses(core, tx, event, inserted.paths);

  if (event.name === INVOKED_EVENT) {
    const meta = event.data["_inngest"] as { fn_id?: unknown; correlation_id?: unknown } | undefined;
    const fnId = typeof meta?.fn_id === "string" ? meta.fn_id : undefined;
    const fn = fnId ? await getFunction(tx, fnId) : undefined;
    if (fn && !fn.deleted) {
      const correlationId = typeof meta?.correlation_id === "string" ? meta.correlation_id : null;
      await startRun(core, tx, fn, event, internalId, { correlationId });
    }
    return internalId;
  }

  for (const fn of await triggeredFunctions(core, tx, event.name, inserted.version)) {
    if (fn.expressions.some((expression) => matches(expression, { event }))) {
      await startRun(core, tx, fn, event, internalId);
    }
  }
  return internalId;
}

/** Functions triggered by an event name, cached per engine until the next sync anywhere bumps the registry version. */
async function triggeredFunctions(core: Core, tx: Tx, eventName: string, version: string): Promise<TriggeredFunction[]> {
  const cached = core.triggerCache.get(eventName);
  if (cached && cached.version === version) return cached.functions;
  const functions = await functionsTriggeredBy(tx, eventName);
  if (core.triggerCache.size > 5_000) core.triggerCache.clear();
  core.triggerCache.set(eventName, { version, functions });
  return functions;
}

/** Cancels, then resumes, the runs whose pauses this event satisfies. */
async function resumePauses(core: Core, tx: Tx, event: EventPayload, paths: string[]): Promise<void> {
  const candidates = await findPauseCandidates(tx, event, paths);
  if (candidates.length === 0) return;
  const ordered = [...candidates.filter((p) => p.kind === "cancel"), ...candidates.filter((p) => p.kind !== "cancel")];
  for (const pause of ordered) {
    if (!pauseMatches(pause, event)) continue;
    const run = await lockRun(tx, pause.run_id);
    if (!run || run.status !== "running") continue;
    if (!(await consumePause(tx, pause.id))) continue;

    if (pause.kind === "cancel") {
      await finalizeRun(core, tx, run, "cancelled", {
        error: { name: "RunCancelled", message: `Run cancelled by event ${event.name}` },
      });
      continue;
    }
    const stepId = pause.step_id!;
    if (pause.kind === "wait") {
      await deleteJobByKey(tx, `${run.id}:wait:${stepId}`);
      await addHistory(tx, run.id, {
        kind: "step.wait.matched",
        stepId,
        stepName: pause.step_name,
        detail: { event: event.name, eventId: event.id },
      });
      await completeStep(tx, run, {
        stepId,
        op: "WaitForEvent",
        name: pause.step_name,
        result: { data: event },
        attempt: 0,
        race: pause.race,
      });
      tx.afterCommit.push(() => core.log.info("wait resumed by event", { run: run.id, step: pause.step_name, event: event.name }));
    } else {
      await deleteJobByKey(tx, `${run.id}:invoke:${stepId}`);
      const hasError = event.data["error"] !== undefined && event.data["error"] !== null;
      const result = hasError ? { error: event.data["error"] } : { data: event.data["result"] ?? null };
      await addHistory(tx, run.id, { kind: hasError ? "step.invoke.failed" : "step.invoke.completed", stepId, stepName: pause.step_name });
      await completeStep(tx, run, { stepId, op: "InvokeFunction", name: pause.step_name, result, attempt: 0, race: pause.race });
      tx.afterCommit.push(() => core.log.info("invoke finished", { run: run.id, step: pause.step_name, ok: !hasError }));
    }
  }
}

function pauseMatches(pause: PauseCandidate, event: EventPayload): boolean {
  if (pause.kind === "invoke") return true; // exact correlation id, matched by index
  return matches(pause.expression, { event: pause.run_event, async: event });
}
