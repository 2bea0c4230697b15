// Answers a real SDK never gives but a broken app or proxy can: the engine
// must never leave a run in "running" with nothing scheduled.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, newSchema, startTestEngine, type TestEngine } from "./harness";

const schema = newSchema();
let t: TestEngine;
let server: http.Server;
let appUrl: string;
let calls = 0;
/** What the fake app answers to each step call. */
let answer: { status: number; body: string } = { status: 206, body: "[]" };

beforeAll(async () => {
  t = await startTestEngine(schema, { backoffMs: [20] });
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "PUT") {
        const url = appUrl;
        res.writeHead(200, { "content-type": "application/json", "x-inngest-sync-kind": "in_band" });
        const functions = [
          {
            id: "fake-broken",
            name: "broken",
            triggers: [{ event: "fake/go" }],
            steps: {
              step: {
                id: "step",
                name: "step",
                retries: { attempts: 2 },
                runtime: { type: "http", url: `${url}?fnId=fake-broken&stepId=step` },
              },
            },
          },
        ];
        return res.end(JSON.stringify({ app_id: "fake", url, functions }));
      }
      calls += 1;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  const [result] = await t.engine.sync(appUrl);
  expect(result?.ok).toBe(true);
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.engine.stop();
  await dropSchema(schema);
});

describe("a 206 answer with no actionable operation", () => {
  it.each([
    ["an empty op list", "[]"],
    ["only lazy ops", JSON.stringify([{ op: "DeferAdd", id: "x" }])],
    ["a body that is not JSON", "not json"],
  ])("is a retriable error: %s is retried, then the run fails (never stranded)", async (_label, body) => {
    answer = { status: 206, body };
    calls = 0;
    const [eventId] = await t.client.send({ name: "fake/go" });
    const [run] = await t.client.eventRuns(eventId!);
    const done = await t.client.waitForRun(run!.id, { timeoutMs: 10_000 });
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ name: "NoActionableOperation" });
    // retries: 2 → three attempts.
    expect(calls).toBe(3);
  });
});
