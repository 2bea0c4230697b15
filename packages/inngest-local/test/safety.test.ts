// The engine on a developer's machine: any web page they open can send
// requests to 127.0.0.1. Each refusal below is one way such a page (or a
// DNS-rebound name) could otherwise drive the engine.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, newSchema, startApp, startTestEngine, type TestApp, type TestEngine } from "./harness";

const schema = newSchema();
const noClockSchema = newSchema();
let t: TestEngine;
let noClock: TestEngine;
let app: TestApp;

beforeAll(async () => {
  t = await startTestEngine(schema);
  app = await startApp("safety", t.engine.url, (inngest) => [
    inngest.createFunction({ id: "noop", triggers: [{ event: "safety/go" }] }, async () => "ok"),
  ]);
  await t.engine.sync(app.url);
  noClock = await startTestEngine(noClockSchema, { testClock: false, appUrls: [], allowApps: ["http://127.0.0.1:1/api/inngest"] });
});

afterAll(async () => {
  await app?.close();
  await t?.engine.stop();
  await noClock?.engine.stop();
  await dropSchema(schema);
  await dropSchema(noClockSchema);
});

/** A raw request: fetch would normalise the target and refuse to set Host. */
function raw(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      // A fresh connection per request: a refused request may end its connection before a reused one would be sent.
      { host: url.hostname, port: url.port, method: options.method ?? "GET", path: options.path, headers: options.headers, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const json = { "content-type": "application/json" };

describe("malformed URLs", () => {
  it("answer 400 and the engine stays up", async () => {
    for (const path of ["/runs/%E0%A4%A", "/api/runs/%", "/api/events/%zz/runs", "/e/%ff%"]) {
      const method = path.startsWith("/e/") ? "POST" : "GET";
      const res = await raw(t.engine.url, { method, path, headers: json, body: "{}" });
      expect(res.status, path).toBe(400);
    }
    expect((await raw(t.engine.url, { path: "http://evil.example/health" })).status).toBe(400);
    expect((await raw(t.engine.url, { path: "/health" })).status).toBe(200);
  });
});

describe("POST bodies", () => {
  it("must be application/json (a cross-site form or text/plain fetch is refused)", async () => {
    const event = JSON.stringify({ name: "safety/go" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await raw(t.engine.url, { method: "POST", path: "/e/key", headers: { "content-type": type }, body: event });
      expect(res.status, type).toBe(415);
    }
    expect((await raw(t.engine.url, { method: "POST", path: "/e/key", body: event })).status).toBe(415);
    expect(
      (await raw(t.engine.url, { method: "POST", path: "/api/sync", headers: { "content-type": "text/plain" }, body: "{}" })).status,
    ).toBe(415);
    const ok = await raw(t.engine.url, {
      method: "POST",
      path: "/e/key",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: event,
    });
    expect(ok.status).toBe(200);
  });
});

describe("Host and Origin", () => {
  it("accepts loopback Host names with any port", async () => {
    for (const host of ["127.0.0.1", "localhost:8288", "[::1]:1234", "LOCALHOST"]) {
      expect((await raw(t.engine.url, { path: "/health", headers: { host } })).status, host).toBe(200);
    }
  });

  it("refuses any other Host (DNS rebinding) with 403", async () => {
    for (const host of ["evil.example", "evil.example:8288", "127.0.0.1.nip.io", "10.0.0.1", "[::2]"]) {
      expect((await raw(t.engine.url, { path: "/api/runs", headers: { host } })).status, host).toBe(403);
    }
  });

  it("refuses a cross-origin request with 403 and accepts a same-origin or absent Origin", async () => {
    const port = new URL(t.engine.url).port;
    const host = `127.0.0.1:${port}`;
    const body = JSON.stringify({ name: "safety/go" });
    for (const origin of ["https://evil.example", "http://localhost:3000", "null", `http://localhost:${port}`]) {
      const res = await raw(t.engine.url, { method: "POST", path: "/e/key", headers: { host, origin, ...json }, body });
      expect(res.status, origin).toBe(403);
    }
    expect(
      (await raw(t.engine.url, { method: "POST", path: "/e/key", headers: { host, origin: `http://${host}`, ...json }, body })).status,
    ).toBe(200);
    expect((await raw(t.engine.url, { method: "POST", path: "/e/key", headers: { host, ...json }, body })).status).toBe(200);
  });
});

describe("reserved events", () => {
  it("refuses user events in the inngest/ namespace", async () => {
    for (const name of ["inngest/function.finished", "inngest/function.invoked", "inngest/scheduled.timer"]) {
      const res = await raw(t.engine.url, {
        method: "POST",
        path: "/e/key",
        headers: json,
        body: JSON.stringify([{ name: "safety/ok" }, { name, data: {} }]),
      });
      expect(res.status, name).toBe(400);
      expect(res.body).toContain("reserved");
    }
    // Nothing of a refused batch was stored.
    expect(await t.client.events({ name: "safety/ok" })).toHaveLength(0);
  });
});

describe("sync and registration", () => {
  it("POST /api/sync refuses a URL that is not allow-listed", async () => {
    const res = await raw(t.engine.url, {
      method: "POST",
      path: "/api/sync",
      headers: json,
      body: JSON.stringify({ url: "http://169.254.169.254/latest" }),
    });
    expect(res.status).toBe(403);
    const again = await raw(t.engine.url, { method: "POST", path: "/api/sync", headers: json, body: JSON.stringify({ url: app.url }) });
    expect(again.status).toBe(200);
  });

  it("POST /fn/register refuses an app URL that is not allow-listed", async () => {
    const res = await raw(t.engine.url, {
      method: "POST",
      path: "/fn/register",
      headers: json,
      body: JSON.stringify({ url: "http://attacker.example/api/inngest", appName: "evil", functions: [] }),
    });
    expect(res.status).toBe(403);
  });

  it("--allow-app URLs may be synced through HTTP", async () => {
    const res = await raw(noClock.engine.url, {
      method: "POST",
      path: "/api/sync",
      headers: json,
      body: JSON.stringify({ url: "http://127.0.0.1:1/api/inngest" }),
    });
    // Allowed, so the engine tried it (nothing listens on port 1): 502, not 403.
    expect(res.status).toBe(502);
  });
});

describe("clock API", () => {
  it("exists only with the test flag", async () => {
    expect((await raw(noClock.engine.url, { path: "/api/clock" })).status).toBe(404);
    expect((await raw(noClock.engine.url, { method: "POST", path: "/api/clock/advance", headers: json, body: '{"ms":1000}' })).status).toBe(
      404,
    );
    expect((await raw(t.engine.url, { path: "/api/clock" })).status).toBe(200);
  });
});
