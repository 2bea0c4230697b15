// The public harness (`@wallet/inngest-local/testing`) used the way the app
// will: the app's own client, created with no engine settings, and its functions.
import { assertLocalDatabase, startInngestLocal, type InngestLocal } from "@wallet/inngest-local/testing";
import { Inngest } from "inngest";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl } from "./harness";

const noop = () => {};
const quietLogger = { info: noop, warn: noop, error: noop, debug: noop };

describe("startInngestLocal", () => {
  // Like the app's inngest/client.ts: no baseUrl, no isDev.
  const inngest = new Inngest({ id: "harness-app", logger: quietLogger });
  const reminder = inngest.createFunction({ id: "reminder", triggers: [{ event: "app/remind" }] }, async ({ event, step }) => {
    await step.sleep("wait-a-day", "1d");
    const reply = await step.waitForEvent("reply", { event: "app/replied", match: "data.id", timeout: "1h" });
    return { id: event.data.id, replied: reply !== null };
  });
  let local: InngestLocal;

  beforeAll(async () => {
    local = await startInngestLocal({ databaseUrl: databaseUrl(), client: inngest, functions: [reminder] });
  });
  afterAll(() => local?.stop());

  it("runs the functions, with the app's client sending to the engine", async () => {
    await inngest.send({ name: "app/remind", data: { id: "r1" } });
    await local.client.waitForRun({ function: "reminder" }, { until: (run) => run.waitingFor.jobs.some((job) => job.kind === "sleep") });
    await local.client.advanceClock("1d");
    await local.client.waitForRun({ function: "reminder" }, { until: (run) => run.waitingFor.pauses.length > 0 });
    await inngest.send({ name: "app/replied", data: { id: "r1" } });
    const run = await local.client.waitForRun({ function: "reminder" });
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ id: "r1", replied: true });
  });

  it("stopEngine() and startEngine(): a run waiting across the restart resumes on the new engine, on the same address", async () => {
    const url = local.engine.url;
    await inngest.send({ name: "app/remind", data: { id: "r2" } });
    const filter = { function: "reminder", status: "running" };
    const sleeping = await local.client.waitForRun(filter, { until: (run) => run.waitingFor.jobs.some((job) => job.kind === "sleep") });

    await local.stopEngine();
    await expect(fetch(`${url}/health`)).rejects.toThrow(); // nothing listens any more
    await local.startEngine();

    expect(local.engine.url).toBe(url);
    await local.client.advanceClock("1d");
    await local.client.waitForRun(sleeping.id, { until: (run) => run.waitingFor.pauses.length > 0 });
    await inngest.send({ name: "app/replied", data: { id: "r2" } });
    const run = await local.client.waitForRun(sleeping.id);
    expect(run).toMatchObject({ status: "completed", output: { id: "r2", replied: true } });
  });

  it("stop() drops the engine's schema", async () => {
    const other = await startInngestLocal({
      databaseUrl: databaseUrl(),
      client: new Inngest({ id: "short-lived", logger: quietLogger }),
      functions: [],
    });
    await other.stop();
    const db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
    try {
      const { rowCount } = await db.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [other.schema]);
      expect(rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });

  it("refuses a client whose own baseUrl points elsewhere", async () => {
    const fixed = new Inngest({ id: "fixed", baseUrl: "http://127.0.0.1:9", logger: quietLogger });
    await expect(startInngestLocal({ databaseUrl: databaseUrl(), client: fixed, functions: [] })).rejects.toThrow(
      /cannot be pointed at the engine/,
    );
  });
});

describe("assertLocalDatabase", () => {
  it.each([
    "postgresql://postgres:postgres@127.0.0.1:5432/app",
    "postgres://localhost/app",
    "postgresql://u:p@[::1]:5432/app",
    "postgresql:///app?host=/var/run/postgresql",
  ])("accepts %s", (url) => {
    expect(() => assertLocalDatabase(url)).not.toThrow();
  });

  it.each(["postgresql://u:p@db.example.com/app", "postgresql://u:p@10.0.0.5/app", "postgresql://u:p@localhost/app?host=db.internal"])(
    "refuses %s",
    (url) => {
      expect(() => assertLocalDatabase(url)).toThrow(/Refusing DATABASE_URL/);
    },
  );

  it("does not echo an unparsable URL (it may hold a password)", () => {
    expect(() => assertLocalDatabase("not a url with secret")).toThrow(/^DATABASE_URL is not a valid postgres:\/\/ URL\.$/);
  });
});
