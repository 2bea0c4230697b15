import net from "node:net";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { resetHealthCache } from "@/server/health";
import { inngest } from "@/server/inngest";

// GET /api/health through its route, against the test database and mail catcher.

const TOKEN = "integration-health-token-0123456789abcdef";
const get = (headers: Record<string, string> = {}) => GET(new NextRequest("http://localhost:3000/api/health", { headers }));

describe("GET /api/health", () => {
  // Files share a worker (isolate: false): a check another file cached a
  // moment ago (under load, or while it held the event API down on purpose)
  // must not stand in for this test's own.
  beforeEach(() => resetHealthCache());

  it("answers the public with the status only, never stored", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("gives the checks to an operator with the token", async () => {
    const response = await get({ authorization: `Bearer ${TOKEN}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      checks: { database: { ok: true }, smtp: { ok: true }, outbox: { ok: true }, engine: { ok: true } },
    });
  });

  it("says degraded, naming the engine to an operator, while the workflow engine cannot be reached", async () => {
    // A port that was just free: nothing listens there.
    const gone = net.createServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const { port } = gone.address() as net.AddressInfo;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    inngest.setEnvVars({ INNGEST_EVENT_API_BASE_URL: `http://127.0.0.1:${port}` });
    resetHealthCache();
    try {
      expect(await (await get()).json()).toEqual({ status: "degraded" });
      expect(await (await get({ authorization: `Bearer ${TOKEN}` })).json()).toMatchObject({
        status: "degraded",
        checks: { database: { ok: true }, engine: { ok: false, error: `workflow engine at http://127.0.0.1:${port}: ECONNREFUSED` } },
      });
    } finally {
      inngest.setEnvVars({ INNGEST_EVENT_API_BASE_URL: inject("eventsUrl") });
      resetHealthCache();
    }
    expect(await (await get()).json()).toEqual({ status: "ok" });
  });

  it.each([`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`])(
    "answers the status only to a wrong token (%s)",
    async (authorization) => {
      expect(Object.keys(await (await get({ authorization })).json())).toEqual(["status"]);
    },
  );
});
