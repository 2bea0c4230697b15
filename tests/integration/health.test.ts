import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";

// GET /api/health through its route, against the test database and mail catcher.

const TOKEN = "integration-health-token-0123456789abcdef";
const get = (headers: Record<string, string> = {}) => GET(new NextRequest("http://localhost:3000/api/health", { headers }));

describe("GET /api/health", () => {
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
      checks: { database: { ok: true }, smtp: { ok: true } },
    });
  });

  it.each([`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`])(
    "answers the status only to a wrong token (%s)",
    async (authorization) => {
      expect(Object.keys(await (await get({ authorization })).json())).toEqual(["status"]);
    },
  );
});
