// Cloud mode: the real SDK with INNGEST_DEV off and a signing key verifies
// every call from the engine, as it would Inngest's. Signed calls run; an
// unsigned or wrongly signed POST to the serve endpoint answers 401. The event
// API takes only the configured event key.
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBodyText, signatureHeader } from "../src/signing";
import * as testing from "../src/testing";
import { dropSchema, newSchema, startTestEngine, type TestEngine } from "./harness";

// Obviously fake keys, for this test only.
const SIGNING_KEY = `signkey-test-${"ab".repeat(32)}`;
const OTHER_KEY = `signkey-test-${"cd".repeat(32)}`;
const EVENT_KEY = "test-event-key-not-secret";

const schema = newSchema();
let t: TestEngine;
let served: testing.ServedFunctions;
let inngest: Inngest;

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

beforeAll(async () => {
  t = await startTestEngine(schema, { signingKey: SIGNING_KEY, eventKey: EVENT_KEY });
  inngest = new Inngest({ id: "cloud", isDev: false, signingKey: SIGNING_KEY, eventKey: EVENT_KEY, baseUrl: t.engine.url, logger: quiet });
  const fn = inngest.createFunction({ id: "signed", triggers: [{ event: "cloud/go" }] }, async ({ event, step }) => {
    const a = await step.run("one", () => `got ${String(event.data.n)}`);
    await step.sleep("nap", "1s");
    const b = await step.run("two", () => "two");
    return { a, b };
  });
  served = await testing.serveFunctions({ client: inngest, functions: [fn] });
});

afterAll(async () => {
  await served?.close();
  await t?.engine.stop();
  await dropSchema(schema);
});

const discoveryBody = { event: { name: "cloud/go", data: { n: 1 } }, events: [], steps: {}, ctx: { run_id: "r1", attempt: 0 } };

async function postToApp(headers: Record<string, string>, text: string): Promise<Response> {
  const url = new URL(served.url);
  url.searchParams.set("fnId", "cloud-signed");
  url.searchParams.set("stepId", "step");
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: text });
}

describe("signed calls (cloud mode)", () => {
  it("syncs in-band and runs a function with steps and a sleep, every call signed", async () => {
    const [result] = await t.engine.sync(served.url);
    expect(result).toMatchObject({ ok: true, kind: "in_band", functions: 1 });
    const { ids } = await inngest.send({ name: "cloud/go", data: { n: 7 } });
    expect(ids).toHaveLength(1);
    const run = await t.client.waitForRun({ function: "cloud-signed" }, { timeoutMs: 15_000 });
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ a: "got 7", b: "two" });
  });

  it("the app answers 401 to an unsigned POST", async () => {
    const response = await postToApp({}, JSON.stringify(discoveryBody));
    expect(response.status).toBe(401);
  });

  it("the app answers 401 to a POST signed with another key, a forged signature or an old timestamp", async () => {
    const text = requestBodyText(discoveryBody);
    const other = await postToApp({ "x-inngest-signature": signatureHeader(text, OTHER_KEY) }, text);
    expect(other.status).toBe(401);
    const forged = await postToApp({ "x-inngest-signature": `t=${Math.floor(Date.now() / 1000)}&s=${"0".repeat(64)}` }, text);
    expect(forged.status).toBe(401);
    const old = await postToApp({ "x-inngest-signature": signatureHeader(text, SIGNING_KEY, Date.now() - 10 * 60_000) }, text);
    expect(old.status).toBe(401);
    // The signature covers the body: the same header on another body is refused.
    const header = signatureHeader(text, SIGNING_KEY);
    const tampered = await postToApp(
      { "x-inngest-signature": header },
      requestBodyText({ ...discoveryBody, event: { name: "cloud/go", data: { n: 2 } } }),
    );
    expect(tampered.status).toBe(401);
  });

  it("the app accepts the same request correctly signed (the 401s above are the signature's doing)", async () => {
    const text = requestBodyText(discoveryBody);
    const response = await postToApp({ "x-inngest-signature": signatureHeader(text, SIGNING_KEY) }, text);
    expect(response.status).not.toBe(401);
    expect(response.status).toBeLessThan(300);
  });
});

describe("event key", () => {
  it("refuses events sent with another key (401) and takes the configured one", async () => {
    const send = (key: string) =>
      fetch(`${t.engine.url}/e/${key}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "cloud/nothing" }),
      });
    const wrong = await send("some-other-key");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ status: 401, ids: [] });
    expect((await send(EVENT_KEY)).status).toBe(200);
  });

  it("refuses out-of-band registration without the app's hashed signing key", async () => {
    const response = await fetch(`${t.engine.url}/fn/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: served.url, appName: "cloud", functions: [] }),
    });
    expect(response.status).toBe(401);
  });
});
