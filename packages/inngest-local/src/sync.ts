// Registering apps: in-band (the engine PUTs the serve URL and the SDK answers
// with its functions) or out-of-band (a PUT without the in-band header makes
// the SDK POST /fn/register to the engine).
import type { Core } from "./core";
import { transaction } from "./core";
import { nextCronTime } from "./cron";
import { isValidExpression } from "./expressions";
import { errorMessage } from "./log";
import { requestBodyText, signatureHeader } from "./signing";
import { enqueueJob } from "./store/jobs";
import { retireMissingFunctions, upsertApp, upsertFunction } from "./store/functions";
import type { FunctionConfig } from "./types";

/** Options the engine accepts but does not enforce; each is reported once per function. */
export const NOT_ENFORCED = ["throttle", "debounce", "rateLimit", "batchEvents", "priority", "singleton", "timeouts"] as const;

/** A sync refused by strict mode (EngineOptions.strict). */
export class StrictModeError extends Error {}

/** The unenforced options `fn` uses. */
export function unenforcedOptions(fn: FunctionConfig): string[] {
  return NOT_ENFORCED.filter((option) => fn[option] !== undefined && fn[option] !== null);
}

export interface Registration {
  appId: string;
  url: string;
  sdk?: string;
  framework?: string;
  functions: FunctionConfig[];
}

export interface SyncResult {
  url: string;
  ok: boolean;
  appId?: string;
  functions?: number;
  kind?: "in_band" | "out_of_band";
  error?: string;
}

export async function syncApp(core: Core, url: string): Promise<SyncResult> {
  let response: Response;
  const payload = requestBodyText({ url });
  const signingKey = core.options.signingKey;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-sync-kind": "in_band",
    "x-inngest-server-kind": signingKey ? "cloud" : "dev",
  };
  // In cloud mode the SDK answers an in-band sync only when the PUT is signed.
  if (signingKey) headers["x-inngest-signature"] = signatureHeader(payload, signingKey);
  try {
    response = await fetch(url, {
      method: "PUT",
      headers,
      body: payload,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    return { url, ok: false, error: errorMessage(error) };
  }
  const text = await response.text();
  if (!response.ok) return { url, ok: false, error: `HTTP ${response.status}: ${text.slice(0, 300)}` };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { url, ok: false, error: "the app did not answer with JSON" };
  }
  if (response.headers.get("x-inngest-sync-kind") !== "in_band") {
    // The SDK refused in-band sync and registered out of band (POST /fn/register) instead.
    return { url, ok: true, kind: "out_of_band" };
  }
  const registration: Registration = {
    appId: String(body["app_id"] ?? body["appName"] ?? "app"),
    url: String(body["url"] ?? url),
    sdk: typeof body["sdk"] === "string" ? body["sdk"] : undefined,
    framework: typeof body["framework"] === "string" ? body["framework"] : undefined,
    functions: Array.isArray(body["functions"]) ? (body["functions"] as FunctionConfig[]) : [],
  };
  try {
    await registerApp(core, registration);
  } catch (error) {
    if (error instanceof StrictModeError) return { url, ok: false, error: error.message };
    throw error;
  }
  return { url, ok: true, appId: registration.appId, functions: registration.functions.length, kind: "in_band" };
}

/** Body of POST /fn/register (out-of-band sync). */
export function registrationFromRegisterBody(body: Record<string, unknown>): Registration {
  return {
    appId: String(body["appName"] ?? body["app_id"] ?? "app"),
    url: String(body["url"] ?? ""),
    sdk: typeof body["sdk"] === "string" ? body["sdk"] : undefined,
    framework: typeof body["framework"] === "string" ? body["framework"] : undefined,
    functions: Array.isArray(body["functions"]) ? (body["functions"] as FunctionConfig[]) : [],
  };
}

export async function registerApp(core: Core, reg: Registration): Promise<void> {
  if (core.options.strict) {
    const refused = reg.functions.flatMap((fn) => unenforcedOptions(fn).map((option) => `${fn.id} uses ${option}`));
    if (refused.length) {
      throw new StrictModeError(`strict mode: the local engine does not enforce these options: ${refused.join("; ")}`);
    }
  }
  const ids = reg.functions.map((f) => f.id);
  const retired = await transaction(core, async (tx) => {
    await upsertApp(tx, { id: reg.appId, url: reg.url, sdk: reg.sdk, framework: reg.framework });
    for (const fn of reg.functions) {
      await upsertFunction(tx, reg.appId, fn);
      // Cron ticks are jobs; keep exactly one per cron expression of the function.
      const crons = (fn.triggers ?? []).map((t) => t.cron).filter((c): c is string => typeof c === "string" && c !== "");
      const keys: string[] = [];
      for (const cron of crons) {
        let next: number;
        try {
          next = nextCronTime(cron, tx.now);
        } catch (error) {
          core.log.warn("invalid cron trigger ignored", { function: fn.id, cron, error: errorMessage(error) });
          continue;
        }
        const key = `cron:${fn.id}:${cron}`;
        keys.push(key);
        await enqueueJob(tx, { kind: "cron", functionId: fn.id, runAt: next, dedupeKey: key, payload: { cron } });
      }
      await tx.query("DELETE FROM jobs WHERE kind = 'cron' AND function_id = $1 AND NOT (dedupe_key = ANY($2::text[]))", [fn.id, keys]);
    }
    const retired = await retireMissingFunctions(tx, reg.appId, ids);
    await tx.query("UPDATE registry_version SET version = version + 1 WHERE id");
    if (retired.length) await tx.query("DELETE FROM jobs WHERE kind = 'cron' AND function_id = ANY($1::text[])", [retired]);
    return retired;
  });

  core.log.info("app synced", { app: reg.appId, url: reg.url, functions: reg.functions.length, removed: retired.length || undefined });
  for (const fn of reg.functions) reportUnsupported(core, fn);
}

function reportUnsupported(core: Core, fn: FunctionConfig): void {
  for (const option of unenforcedOptions(fn)) {
    const key = `${fn.id}:${option}`;
    if (core.warned.has(key)) continue;
    core.warned.add(key);
    core.log.warn(`${option} is not enforced locally`, { function: fn.id });
  }
  const expressions = [...(fn.triggers ?? []).map((t) => t.expression), fn.idempotency, ...(fn.cancel ?? []).map((c) => c.if)].filter(
    (e): e is string => typeof e === "string" && e !== "",
  );
  for (const expression of expressions) {
    const key = `${fn.id}:expr:${expression}`;
    if (core.warned.has(key) || isValidExpression(expression)) continue;
    core.warned.add(key);
    core.log.warn("expression does not parse as CEL; it will never match", { function: fn.id, expression });
  }
}

/** Keeps trying to sync `url` until it succeeds or the engine stops (the app may start after the engine). */
export async function syncWhenReady(core: Core, url: string, isStopped: () => boolean): Promise<void> {
  let reported = false;
  while (!isStopped()) {
    const result = await syncApp(core, url);
    if (result.ok) return;
    if (!reported) {
      core.log.info("waiting for app to answer sync", { url, error: result.error });
      reported = true;
    } else {
      core.log.debug("app not reachable yet", { url, error: result.error });
    }
    for (let waited = 0; waited < core.options.syncRetryMs && !isStopped(); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, core.options.syncRetryMs - waited)));
    }
  }
}
