import { startInngestLocal, type InngestLocal } from "@wallet/inngest-local/testing";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { functions } from "@/inngest/functions";
import { inngest } from "@/server/inngest";

// The SDK prints step and function errors itself. An error's text can hold a
// full address (an SMTP 550 names the recipient), and those lines must go
// through server/logger.ts like ours: only the masked address is written.

const ADDRESS = "ram.thapa@example.com";

// A step failing the way a refused send does, on the app's own client (and
// so its logger). Served next to the app's functions.
const failing = inngest.createFunction(
  { id: "test-step-error-with-address", retries: 0, triggers: [{ event: "test/step-error.requested" }] },
  async ({ step }) =>
    step.run("send", () => {
      throw new Error(`550 5.1.1 <${ADDRESS}>: Recipient address rejected`);
    }),
);

let local: InngestLocal;
beforeAll(async () => {
  local = await startInngestLocal({ databaseUrl: inject("testDatabaseUrl"), client: inngest, functions: [...functions, failing] });
});
afterAll(() => local?.stop());
afterEach(() => vi.restoreAllMocks());

/** Everything written to stdout, stderr and the console while the spies are on. */
function captureOutput(): () => string {
  const lines: string[] = [];
  const keep =
    () =>
    (...args: unknown[]) => {
      lines.push(
        args
          .map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg)))
          .join(" "),
      );
      return true;
    };
  for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, "write").mockImplementation(keep());
  for (const method of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, method).mockImplementation(keep());
  return () => lines.join("\n");
}

describe("the Inngest SDK's own output", () => {
  it("a step error whose message holds a full address is logged with the address masked", async () => {
    const output = captureOutput();
    const id = `step-error-${crypto.randomUUID()}`;
    await inngest.send({ id, name: "test/step-error.requested", data: {} });

    const deadline = Date.now() + 20_000;
    let run;
    while (!(run = (await local.client.eventRuns(id).catch(() => []))[0])) {
      if (Date.now() > deadline) throw new Error("no run for the event");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await local.client.waitForRun(run.id)).status).toBe("failed");
    // The SDK logs the error as it answers the engine; the run may be marked failed a moment before that line.
    await vi.waitFor(() => expect(output()).toContain("Inngest step error"), { timeout: 5000 });

    const line = output()
      .split("\n")
      .find((candidate) => candidate.includes("Inngest step error"))!;
    expect(JSON.parse(line)).toMatchObject({ level: "error", source: "inngest", message: "Inngest step error" });
    expect(line).toContain("r***@example.com");
    // The app's process writes no full address anywhere. (The engine's own
    // lines are the engine's: Inngest's, in production.)
    const appLines = output()
      .split("\n")
      .filter((candidate) => !/ engine (DEBUG|INFO|WARN|ERROR) /.test(candidate));
    expect(appLines.join("\n")).not.toContain(ADDRESS);
  });
});
