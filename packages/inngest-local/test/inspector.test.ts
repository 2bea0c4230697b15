// The run inspector (the engine's HTML pages) as an operator reads it: a run
// retrying after errors, one waiting for an event and one sleeping each say so
// in words; the run list filters by status (and those states), function and
// one event data field; a failed run lists every distinct error with counts;
// a function shows its triggers, retries, cancellation and flow control.
// Everything is escaped and nothing needs JavaScript.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, eventually, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const HOSTILE = `<img src=x onerror="alert('pwn')">`;
const schema = newSchema();
let t: TestEngine;
let app: TestApp;

beforeAll(async () => {
  // Two quick retries, then an hour: a run stays "retrying" for as long as the test looks at it.
  // Not strict: the "configured" function uses options the engine only displays.
  t = await startTestEngine(schema, { strict: false, backoffMs: [50, 50, 3_600_000] });
  app = await startApp("insp", t.engine.url, (inngest) => [
    inngest.createFunction({ id: "flaky", retries: 6, triggers: [{ event: "insp/charge" }] }, async ({ step, attempt }) => {
      await step.run("charge", () => {
        if (attempt < 2) throw new Error(`card declined ${HOSTILE}`);
        throw new Error("gateway timeout");
      });
    }),
    inngest.createFunction({ id: "broken", retries: 2, triggers: [{ event: "insp/break" }] }, async ({ step, attempt }) => {
      await step.run("charge", () => {
        if (attempt < 2) throw new Error("card declined");
        throw new Error("gateway timeout");
      });
    }),
    inngest.createFunction({ id: "waiter", triggers: [{ event: "insp/requested" }] }, async ({ step }) => {
      await step.waitForEvent("for-approval", { event: "insp/approved", match: "data.requestId", timeout: "2h" });
    }),
    inngest.createFunction({ id: "sleeper", triggers: [{ event: "insp/nap" }] }, async ({ step }) => {
      await step.sleep("nap", "3h");
    }),
    inngest.createFunction({ id: "quick", triggers: [{ event: "insp/quick" }] }, async () => "ok"),
    inngest.createFunction(
      {
        id: "configured",
        retries: 2,
        triggers: [{ event: "insp/configured", if: "event.data.amount > 10" }, { cron: "0 3 * * *" }],
        cancelOn: [{ event: "insp/cancelled", if: "event.data.requestId == async.data.requestId", timeout: "1d" }],
        concurrency: { limit: 2, key: "event.data.userId" },
        throttle: { limit: 5, period: "1m" },
        rateLimit: { limit: 10, period: "1h", key: "event.data.userId" },
        priority: { run: "event.data.vip ? 120 : 0" },
        idempotency: "event.data.requestId",
      },
      async () => "configured",
    ),
    inngest.createFunction(
      { id: "batched", triggers: [{ event: "insp/batched" }], batchEvents: { maxSize: 10, timeout: "5s" }, debounce: { period: "5s" } },
      async () => "batched",
    ),
  ]);
  await t.engine.sync(app.url);
});

afterAll(async () => {
  await app?.close();
  await t?.engine.stop();
  await dropSchema(schema);
});

async function page(path: string): Promise<{ status: number; html: string; text: string }> {
  const response = await fetch(`${t.engine.url}${path}`);
  expect(response.headers.get("content-type")).toContain("text/html");
  const html = await response.text();
  return { status: response.status, html, text: visibleText(html) };
}

/** The page as read on screen: no markup, no style, entities decoded, whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[^]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Run ids listed on a page (the links to their pages), in order. */
function listedRuns(html: string): string[] {
  return [...html.matchAll(/href="\/runs\/([0-9A-Z]+)"/g)].map((m) => m[1]!);
}

/** The text of the table row that links to this run. */
function rowOf(html: string, runId: string): string {
  const row = html.split("<tr>").find((r) => r.includes(`href="/runs/${runId}"`));
  expect(row, `a row for run ${runId}`).toBeDefined();
  return visibleText(row!);
}

async function startRun(name: string, data: Record<string, unknown>): Promise<string> {
  const [eventId] = await t.client.send({ name, data });
  const runs = await eventually(async () => {
    const found = await t.client.eventRuns(eventId!);
    return found.length > 0 && found;
  }, `a run for ${name}`);
  return runs[0]!.id;
}

describe("run inspector", () => {
  let retrying: string;
  let waiting: string;
  let waiting2: string;
  let sleeping: string;
  let completed: string;
  let failed: string;

  beforeAll(async () => {
    retrying = await startRun("insp/charge", { requestId: "r-9", order: { id: 7 } });
    waiting = await startRun("insp/requested", { requestId: "r-1", order: { id: 42 } });
    waiting2 = await startRun("insp/requested", { requestId: HOSTILE, order: { id: 43 } });
    sleeping = await startRun("insp/nap", {});
    completed = await startRun("insp/quick", { requestId: "r-1" });
    failed = await startRun("insp/break", {});
    await t.client.waitForRun(retrying, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "call" && j.attempt === 3) });
    await t.client.waitForRun(waiting, { until: (r) => r.waitingFor.pauses.length > 0 });
    await t.client.waitForRun(waiting2, { until: (r) => r.waitingFor.pauses.length > 0 });
    await t.client.waitForRun(sleeping, { until: (r) => r.waitingFor.jobs.some((j) => j.kind === "sleep") });
    await t.client.waitForRun(completed);
    await t.client.waitForRun(failed, { timeoutMs: 30_000 });
  });

  it("says in words whether a run is retrying, waiting for an event or sleeping", async () => {
    const run = await t.client.run(retrying);
    const nextAt = run.waitingFor.jobs.find((j) => j.kind === "call")!.runAt;
    const retryPage = await page(`/runs/${retrying}`);
    expect(retryPage.text).toContain(`RETRYING`.toLowerCase());
    expect(retryPage.text).toContain(`retrying (step charge): attempt 4 of 7, next at ${nextAt}, after Error: gateway timeout`);
    expect(retryPage.text).not.toContain("waiting for event");

    const waitPage = await page(`/runs/${waiting}`);
    const until = (await t.client.run(waiting)).waitingFor.pauses[0]!.expiresAt;
    expect(waitPage.text).toContain(
      `waiting for event insp/approved if event.data.requestId == async.data.requestId (step for-approval) until ${until}`,
    );
    expect(waitPage.text).not.toContain("retrying");

    const sleepPage = await page(`/runs/${sleeping}`);
    const wakeAt = (await t.client.run(sleeping)).waitingFor.jobs.find((j) => j.kind === "sleep")!.runAt;
    expect(sleepPage.text).toContain(`sleeping (step nap) until ${wakeAt}`);

    // The same words in the run lists, and a badge word (not only a colour) per run.
    const overview = await page("/");
    expect(rowOf(overview.html, retrying)).toMatch(/retrying .*attempt 4 of 7, next at/);
    expect(rowOf(overview.html, waiting)).toContain("waiting waiting for event insp/approved");
    expect(rowOf(overview.html, sleeping)).toContain("sleeping sleeping (step nap) until");
    expect(rowOf(overview.html, completed)).toContain("completed");
    expect(overview.html).toMatch(new RegExp(`href="/runs/${retrying}"[^]*?<span class="badge b-retrying">retrying</span>`));
  });

  it("filters runs by status, by a running state, by function and by an event data field", async () => {
    expect(listedRuns((await page("/runs?status=retrying")).html)).toEqual([retrying]);
    expect(listedRuns((await page("/runs?status=waiting")).html).sort()).toEqual([waiting, waiting2].sort());
    expect(listedRuns((await page("/runs?status=sleeping")).html)).toEqual([sleeping]);
    expect(listedRuns((await page("/runs?status=completed")).html)).toEqual([completed]);
    expect(listedRuns((await page("/runs?status=FAILED")).html)).toEqual([failed]);
    expect(listedRuns((await page("/runs?status=running")).html).sort()).toEqual([retrying, waiting, waiting2, sleeping].sort());
    expect(listedRuns((await page("/runs?function=insp-waiter")).html).sort()).toEqual([waiting, waiting2].sort());
    expect(listedRuns((await page("/runs?function=sleeper")).html)).toEqual([sleeping]);

    const byField = await page("/runs?key=requestId&value=r-1");
    expect(listedRuns(byField.html).sort()).toEqual([waiting, completed].sort());
    expect(byField.text).toContain("2 runs where data.requestId = r-1");
    expect(listedRuns((await page("/runs?key=data.requestId&value=r-1&function=waiter")).html)).toEqual([waiting]);
    // Nested, and a number typed as shown.
    expect(listedRuns((await page("/runs?key=data.order.id&value=42")).html)).toEqual([waiting]);
    expect(listedRuns((await page("/runs?key=order.id&value=4")).html)).toEqual([]);
    // The same filters on the JSON API (and so in the client).
    const api = await t.client.runs({ key: "requestId", value: "r-1", status: "waiting" });
    expect(api.map((r) => r.id)).toEqual([waiting]);
  });

  it("takes a hostile value safely: bound as a parameter, echoed escaped", async () => {
    const hostile = await page(`/runs?key=${encodeURIComponent("requestId")}&value=${encodeURIComponent(HOSTILE)}`);
    expect(hostile.status).toBe(200);
    expect(listedRuns(hostile.html)).toEqual([waiting2]);
    expect(hostile.html).not.toContain(HOSTILE);
    expect(hostile.html).toContain(`value="&lt;img src=x onerror=&quot;alert(&#39;pwn&#39;)&quot;&gt;"`);
    // SQL in the key is only a (missing) field name.
    const injected = await page(`/runs?key=${encodeURIComponent("requestId') OR 1=1 --")}&value=x`);
    expect(listedRuns(injected.html)).toEqual([]);
    const waiterPage = await page(`/runs/${waiting2}`);
    expect(waiterPage.html).not.toContain(HOSTILE);
    expect(waiterPage.text).toContain(`"requestId": ${JSON.stringify(HOSTILE)}`);
  });

  it("refuses a filter it cannot run with a specific message, and lists nothing", async () => {
    const status = await page("/runs?status=sleepy");
    expect(status.status).toBe(400);
    expect(status.text).toContain('unknown status "sleepy": use one of running, completed, failed, cancelled, retrying, waiting, sleeping');
    expect(listedRuns(status.html)).toEqual([]);
    const key = await page("/runs?key=a..b&value=1");
    expect(key.status).toBe(400);
    expect(key.text).toContain('invalid event data field "a..b"');
    const value = await page("/runs?value=r-1");
    expect(value.status).toBe(400);
    expect(value.text).toContain("a value needs an event data field (key) to compare with");
    const api = await fetch(`${t.engine.url}/api/runs?status=sleepy`);
    expect(api.status).toBe(400);
    expect(((await api.json()) as { error: string }).error).toContain('unknown status "sleepy"');
  });

  it("shows every distinct error of a failed run with counts and first/last seen, stacks folded", async () => {
    const detail = await t.client.run(failed);
    expect(detail.status).toBe("failed");
    const { html, text } = await page(`/runs/${failed}`);
    expect(text).toContain("failed");
    const errorsTable = visibleText(html.slice(html.indexOf("<h2>Errors"), html.indexOf("<h2>Steps")));
    expect(errorsTable).toMatch(/charge Error: card declined .*? 2 \S+ \S+ 1, 2 /);
    expect(errorsTable).toMatch(/charge Error: gateway timeout .*? 1 \S+ \S+ 3 \(final\)/);
    // Stack traces are there, folded.
    expect(html).toMatch(/<details><summary>stack trace<\/summary><pre>Error: card declined\n\s+at /);
    expect(html).not.toMatch(/<td><pre>[^<]*\n\s+at [^<]*<\/pre><\/td>/);
  });

  it("escapes a hostile error message, and serves no script at all", async () => {
    const { html, text } = await page(`/runs/${retrying}`);
    expect(html).not.toContain(HOSTILE);
    expect(text).toContain(`Error: card declined ${HOSTILE}`);
    for (const path of ["/", "/runs", `/runs/${retrying}`, "/functions", "/functions/insp-configured"]) {
      const served = await page(path);
      expect(served.html).not.toMatch(/<script/i);
      // No tag carries an event handler (an escaped one in the text is not a tag).
      expect(served.html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    }
  });

  it("shows each function's triggers, retries, cancellation and flow control", async () => {
    const { text } = await page("/functions/insp-configured");
    expect(text).toContain("Triggers event insp/configured if event.data.amount > 10 cron 0 3 * * *");
    expect(text).toContain("Retries 2 retries (3 attempts)");
    expect(text).toContain("Cancel on event insp/cancelled if event.data.requestId == async.data.requestId, for 1d");
    expect(text).toContain("Concurrency limit=2, key=event.data.userId");
    expect(text).toContain("Throttle (not enforced locally) limit=5, period=1m");
    expect(text).toContain("Rate limit (not enforced locally) limit=10, period=1h, key=event.data.userId");
    expect(text).toContain("Priority (not enforced locally) run=event.data.vip ? 120 : 0");
    expect(text).toContain("Idempotency key event.data.requestId");

    const list = await page("/functions");
    expect(list.text).toContain("Batching (not enforced locally) maxSize=10, timeout=5s");
    expect(list.text).toContain("Debounce (not enforced locally) period=5s");
    expect(list.text).toMatch(/insp-quick .*?Retries 4 retries \(5 attempts\), the default/);
    expect(list.text).toMatch(/insp-flaky .*?Retries 6 retries \(7 attempts\)/);
    expect((await page("/functions/nope")).status).toBe(404);
  });
});
