import { describe, expect, it } from "vitest";
import * as metricsRoute from "@/app/api/metrics/route";
import * as openApi from "@/app/api/openapi.json/route";
import * as scheduleSkip from "@/app/api/scheduled-payments/[id]/skip/route";
import { DEV_SECRETS } from "@/lib/committed-secrets";
import { env } from "@/server/env";
import { formAction } from "@/server/http/form-action";
import { apiRequest } from "@/tests/support/http";
import { sample } from "@/tests/support/metrics";

// GET /api/metrics and the HTTP families, through real route handlers called
// in-process as Next's server calls them. The integration environment is
// local, so METRICS_TOKEN is the committed development value.

const scrapeThroughRoute = async (authorization = `Bearer ${DEV_SECRETS.METRICS_TOKEN}`) =>
  metricsRoute.GET(apiRequest("/api/metrics", { method: "GET", headers: { authorization } }));

async function exposition(): Promise<string> {
  const response = await scrapeThroughRoute();
  expect(response.status).toBe(200);
  return response.text();
}

describe("GET /api/metrics", () => {
  it("answers the Prometheus text format to the bearer of METRICS_TOKEN, never stored", async () => {
    const response = await scrapeThroughRoute();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).toContain("# TYPE wallet_http_request_duration_seconds histogram");
    expect(text).toContain("# TYPE wallet_ledger_postings_sum gauge");
  });

  it.each([
    ["no header", ""],
    ["a wrong token", "Bearer not-the-metrics-token-0123456789abcdef"],
    ["the token as Basic", `Basic ${DEV_SECRETS.METRICS_TOKEN}`],
  ])("refuses %s with 401 in the API's error shape, and counts the refusal", async (_name, authorization) => {
    const before = sample(await exposition(), "wallet_http_requests_total", { route: "/api/metrics", method: "GET", status: "401" });
    const response = await scrapeThroughRoute(authorization);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const after = sample(await exposition(), "wallet_http_requests_total", { route: "/api/metrics", method: "GET", status: "401" });
    expect(after - before).toBe(1);
  });

  it("without METRICS_TOKEN configured, is absent: 404 for every method, as for a path that does not exist", async () => {
    const configured = env.METRICS_TOKEN;
    // The environment is read once at boot; here the token is taken away for this test only.
    (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = undefined;
    try {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        const response = await metricsRoute[method](
          apiRequest("/api/metrics", { method, headers: { authorization: `Bearer ${DEV_SECRETS.METRICS_TOKEN}` } }),
        );
        expect(response.status, method).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
      }
    } finally {
      (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = configured;
    }
    // With the token back, a method other than GET is a 405 again once the token is back.
    expect((await metricsRoute.POST(apiRequest("/api/metrics", { method: "POST" }))).status).toBe(405);
  });
});

describe("HTTP metrics", () => {
  it("count each answer by route, method and status, and time it", async () => {
    const labels = { route: "/api/openapi.json", method: "GET" };
    const before = await exposition();
    const response = await openApi.GET(apiRequest("/api/openapi.json", { method: "GET" }));
    expect(response.status).toBe(200);
    const after = await exposition();
    expect(
      sample(after, "wallet_http_requests_total", { ...labels, status: "200" }) -
        sample(before, "wallet_http_requests_total", { ...labels, status: "200" }),
    ).toBe(1);
    expect(
      sample(after, "wallet_http_request_duration_seconds_count", labels) -
        sample(before, "wallet_http_request_duration_seconds_count", labels),
    ).toBe(1);
    expect(sample(after, "wallet_http_request_duration_seconds_sum", labels)).toBeGreaterThan(
      sample(before, "wallet_http_request_duration_seconds_sum", labels),
    );
  });

  it("label a route by its path template, never by the id in the URL", async () => {
    const id = crypto.randomUUID();
    const labels = { route: "/api/scheduled-payments/{id}/skip", method: "POST", status: "403" };
    const before = await exposition();
    const response = await scheduleSkip.POST(
      apiRequest(`/api/scheduled-payments/${id}/skip`, { headers: { origin: "https://evil.example" } }),
      {
        params: Promise.resolve({ id }),
      },
    );
    expect(response.status).toBe(403);
    const after = await exposition();
    expect(sample(after, "wallet_http_requests_total", labels) - sample(before, "wallet_http_requests_total", labels)).toBe(1);
    expect(after).not.toContain(id);
  });

  it("count a form action under its page, as a POST, with the status its answer stands for", async () => {
    // Outside a request (no headers()) the wrapper answers INTERNAL: a 500, counted under the form's page.
    const action = formAction({ auth: "none", page: "/metrics-test/form" }, async () => ({ status: "done" as const, message: "ok" }));
    const labels = { route: "/metrics-test/form", method: "POST", status: "500" };
    const before = await exposition();
    expect(await action({ status: "idle" }, new FormData())).toMatchObject({ status: "error", error: { code: "INTERNAL" } });
    const after = await exposition();
    expect(sample(after, "wallet_http_requests_total", labels) - sample(before, "wallet_http_requests_total", labels)).toBe(1);
    expect(
      sample(after, "wallet_http_request_duration_seconds_count", { route: "/metrics-test/form", method: "POST" }) -
        sample(before, "wallet_http_request_duration_seconds_count", { route: "/metrics-test/form", method: "POST" }),
    ).toBe(1);
  });
});
