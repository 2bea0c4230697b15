// The bad-input corpus (issue 10, "Must hold"): hundreds of malformed,
// hostile or merely odd requests against the real route handlers, called
// in-process as Next's server would call them, on the real database. Every
// answer must be below 500, JSON, in the error shape when it is an error,
// and must not echo a password, a token or a stack trace.
//
// What runs here: every operation of server/http/operations.ts through its
// route file. Operations that need a session are covered up to the session
// check (wrong methods, cross-origin) through their route files: past it,
// getServerSession needs Next's request scope, which only a running server
// has. Their bodies go through the same readJson and schema the wrapper
// uses (last block). next-auth's credentials callback is covered through
// the provider's authorize (the code of ours it runs).
import type { NextRequest } from "next/server";
import { describe, expect, it, test } from "vitest";
import type { z } from "zod";
import * as account from "@/app/api/account/route";
import * as accountEmail from "@/app/api/account/email/route";
import * as accountEmailRequest from "@/app/api/account/email/request/route";
import * as accountEmailResend from "@/app/api/account/email/resend/route";
import * as accountExport from "@/app/api/account/export/route";
import * as accountPassword from "@/app/api/account/password/route";
import * as accountSessionsEnd from "@/app/api/account/sessions/end/route";
import * as catchAll from "@/app/api/[...path]/route";
import * as signup from "@/app/api/auth/signup/route";
import * as confirm from "@/app/api/email/confirm/route";
import * as resendLink from "@/app/api/email/resend-link/route";
import * as health from "@/app/api/health/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as openApi from "@/app/api/openapi.json/route";
import * as scheduledPayments from "@/app/api/scheduled-payments/route";
import * as scheduledPayment from "@/app/api/scheduled-payments/[id]/route";
import * as scheduledPaymentPause from "@/app/api/scheduled-payments/[id]/pause/route";
import * as scheduledPaymentResume from "@/app/api/scheduled-payments/[id]/resume/route";
import * as scheduledPaymentSkip from "@/app/api/scheduled-payments/[id]/skip/route";
import * as wallet from "@/app/api/wallet/route";
import * as walletTopUps from "@/app/api/wallet/top-ups/route";
import * as walletTransfers from "@/app/api/wallet/transfers/route";
import { requestEmailInput, scheduleChangeInput, scheduleInput, topUpInput, transferInput } from "@/lib/schemas";
import { authOptions } from "@/server/auth/options";
import { operations } from "@/server/http/operations";
import { isAppError } from "@/server/errors";
import { readJson } from "@/server/http/body";
import { uniquePhone } from "@/tests/support/factories";
import { apiRequest, APP } from "@/tests/support/http";

type Handler = (request: NextRequest) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;

const SECRET_PASSWORD = "Corpus-Secret-Pass-77";
const SECRET_TOKEN = "corpusSecretToken_ABCdef0123456789abcdefXYZ";
const NUL = "\u0000";
const ASTRAL = ["😀", "𝓪", "\u{10FFFF}", "👩‍👩‍👧", "\uD83D"]; // the last: a lone surrogate

type Case = {
  name: string;
  route: RouteModule;
  path: string;
  method?: string;
  body?: BodyInit | null;
  json?: unknown;
  headers?: Record<string, string>;
};
const cases: Case[] = [];

// --- the JSON endpoints anyone can call ---------------------------------
const validSignUp = () => ({ phone: uniquePhone().slice(4), fullName: "Corpus Person", password: SECRET_PASSWORD, email: "" });
const bodyEndpoints: { name: string; route: RouteModule; path: string; valid: () => Record<string, unknown>; fields: string[] }[] = [
  { name: "signup", route: signup, path: "/api/auth/signup", valid: validSignUp, fields: ["phone", "fullName", "password", "email"] },
  { name: "confirm", route: confirm, path: "/api/email/confirm", valid: () => ({ token: SECRET_TOKEN }), fields: ["token"] },
  { name: "resend-link", route: resendLink, path: "/api/email/resend-link", valid: () => ({ token: SECRET_TOKEN }), fields: ["token"] },
];

for (const endpoint of bodyEndpoints) {
  const add = (name: string, extra: Omit<Case, "name" | "route" | "path">) =>
    cases.push({ name: `${endpoint.name}: ${name}`, route: endpoint.route, path: endpoint.path, method: "POST", ...extra });
  const valid = JSON.stringify(endpoint.valid());

  // Content types.
  for (const type of [
    undefined,
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "json",
    "APPLICATION/JSON; charset=utf-16",
  ]) {
    add(`content type ${type ?? "(none)"}`, {
      body: type?.startsWith("application/x-www") ? "token=x&phone=1" : valid,
      headers: type ? { "content-type": type } : {},
    });
  }
  // Malformed or odd JSON.
  for (const raw of [
    "",
    "{",
    "}",
    '{"a":}',
    "nul",
    "null",
    "true",
    "0",
    "-1e999",
    '"string"',
    "[]",
    "[{}]",
    "{}",
    `\uFEFF${valid}`,
    `${valid}garbage`,
    "{'token':'x'}",
    NUL,
    `{"token":"x"${NUL}}`,
    "\u00ff\u00fe",
    "[".repeat(5000) + "]".repeat(5000),
    `{"a":${"[".repeat(3000)}${"]".repeat(3000)}}`,
  ]) {
    add(`malformed JSON ${JSON.stringify(raw.slice(0, 20))}`, { body: raw, headers: { "content-type": "application/json" } });
  }
  // Bytes that are not UTF-8.
  add("invalid UTF-8", {
    body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    headers: { "content-type": "application/json" },
  });
  // Huge bodies: declared, streamed without a length, and a lying length.
  const huge = JSON.stringify({ ...endpoint.valid(), pad: "x".repeat(64 * 1024) });
  add("huge body", { body: huge, headers: { "content-type": "application/json" } });
  add("huge body, declared length small", { body: huge, headers: { "content-type": "application/json", "content-length": "10" } });
  add("declared length huge, body small", { body: valid, headers: { "content-type": "application/json", "content-length": "99999999" } });
  add("huge body as a stream", {
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(4096)));
        controller.close();
      },
    }),
    headers: { "content-type": "application/json" },
  });
  // Missing and extra fields.
  add("empty object", { json: {} });
  for (const field of endpoint.fields) {
    const without = { ...endpoint.valid() };
    delete without[field];
    add(`missing ${field}`, { json: without });
  }
  add("extra fields", {
    json: { ...endpoint.valid(), admin: true, id: "00000000-0000-0000-0000-000000000000", emailVerifiedAt: "2020-01-01" },
  });
  add("__proto__ and constructor", {
    body: `{"__proto__":{"admin":true},"constructor":{"prototype":{}},${valid.slice(1)}`,
    headers: { "content-type": "application/json" },
  });
  add("duplicate keys", { body: `{"token":"a","token":"b",${valid.slice(1)}`, headers: { "content-type": "application/json" } });
  // Each field: wrong types, NUL bytes, astral characters, overlong strings, odd spaces.
  for (const field of endpoint.fields) {
    const withValue = (value: unknown) => ({ json: { ...endpoint.valid(), [field]: value } });
    for (const value of [123, -0, 1e308, true, null, [], ["a"], {}, { $gt: "" }])
      add(`${field} = ${JSON.stringify(value)}`, withValue(value));
    const base = String(endpoint.valid()[field] || (field === "email" ? "corpus@example.com" : "x"));
    add(`${field} with NUL inside`, withValue(`${base.slice(0, 3)}${NUL}${base.slice(3)}`));
    add(`${field} = NUL only`, withValue(NUL));
    for (const char of ASTRAL) {
      add(`${field} starting with ${JSON.stringify(char)}`, withValue(`${char}${base}`));
      add(`${field} ending with ${JSON.stringify(char)}`, withValue(`${base}${char}`));
    }
    add(`${field} overlong`, withValue("a".repeat(12_000)));
    add(`${field} of emoji`, withValue("😀".repeat(1000)));
    add(`${field} of spaces and controls`, withValue(" \t\n\r\u00a0\u200b\u202e\u2028 "));
    add(`${field} with HTML`, withValue(`<script>alert(1)</script>${base}`));
  }
}

// --- every route file: wrong methods, cross-origin, unknown paths --------
const routeModules: Record<string, RouteModule> = {
  "/api/auth/signup": signup,
  "/api/email/confirm": confirm,
  "/api/email/resend-link": resendLink,
  "/api/account": account,
  "/api/account/email": accountEmail,
  "/api/account/email/resend": accountEmailResend,
  "/api/account/email/request": accountEmailRequest,
  "/api/account/export": accountExport,
  "/api/account/password": accountPassword,
  "/api/account/sessions/end": accountSessionsEnd,
  "/api/health": health,
  "/api/openapi.json": openApi,
  "/api/metrics": metricsRoute,
  "/api/wallet": wallet,
  "/api/wallet/transfers": walletTransfers,
  "/api/wallet/top-ups": walletTopUps,
  "/api/scheduled-payments": scheduledPayments,
  "/api/scheduled-payments/{id}": scheduledPayment,
  "/api/scheduled-payments/{id}/skip": scheduledPaymentSkip,
  "/api/scheduled-payments/{id}/pause": scheduledPaymentPause,
  "/api/scheduled-payments/{id}/resume": scheduledPaymentResume,
};
// The methods each path allows, from the operations table (the OpenAPI test
// checks that table against the route files, so this cannot drift).
const routeFiles = Object.entries(routeModules).map(([path, route]) => {
  const allowed: string[] = Object.values(operations)
    .filter((operation) => operation.path === path)
    .map((operation) => operation.method);
  if (allowed.length === 0) throw new Error(`${path} is not in the operations table`);
  return [path, route, allowed] as const;
});
test("the corpus covers every operation", () => {
  expect(
    Object.values(operations)
      .map((operation) => operation.path)
      .filter((path) => !(path in routeModules)),
  ).toEqual([]);
});
for (const [path, route, allowed] of routeFiles) {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
    if (!allowed.includes(method) && route[method])
      cases.push({ name: `${method} ${path} (not allowed)`, route, path, method, json: { token: SECRET_TOKEN } });
  }
  for (const method of allowed.filter((m) => m !== "GET")) {
    cases.push({
      name: `${method} ${path} from another site`,
      route,
      path,
      method,
      json: { token: SECRET_TOKEN, password: SECRET_PASSWORD },
      headers: { origin: "https://evil.example" },
    });
    cases.push({
      name: `${method} ${path} marked cross-site`,
      route,
      path,
      method,
      json: { token: SECRET_TOKEN },
      headers: { "sec-fetch-site": "cross-site" },
    });
    cases.push({
      name: `${method} ${path} with origin null`,
      route,
      path,
      method,
      json: { token: SECRET_TOKEN },
      headers: { origin: "null" },
    });
  }
}
cases.push({ name: "GET /api/health", route: health, path: "/api/health", method: "GET" });
cases.push({ name: "GET /api/openapi.json", route: openApi, path: "/api/openapi.json", method: "GET" });
// The metrics answer is text, so only its refusals are in the corpus (the right token is tested in server/metrics.int.test.ts).
for (const authorization of [
  undefined,
  "",
  "Bearer",
  "Bearer ",
  `Bearer ${SECRET_TOKEN}`,
  `Basic ${SECRET_TOKEN}`,
  `Bearer ${"x".repeat(10_000)}`,
])
  cases.push({
    name: `GET /api/metrics with authorization ${JSON.stringify(authorization?.slice(0, 20))}`,
    route: metricsRoute,
    path: "/api/metrics",
    method: "GET",
    headers: authorization === undefined ? undefined : { authorization },
  });
for (const path of [
  "/api/nope",
  "/api/auth/signup/extra",
  "/api/%00",
  "/api/..%2f..%2fetc%2fpasswd",
  "/api/😀",
  `/api/${"a".repeat(2000)}`,
  "/api/account/email/request/x",
]) {
  for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
    cases.push({
      name: `${method} ${path.slice(0, 40)} (unknown path)`,
      route: catchAll,
      path,
      method,
      json: { password: SECRET_PASSWORD },
    });
  }
}

/** What must hold of every answer. */
async function expectSafe(response: Response, sent: string) {
  expect(response.status, "a 5xx answer").toBeLessThan(500);
  const text = await response.text();
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  if (response.status >= 400) {
    expect(typeof body.error?.code).toBe("string");
    expect(typeof body.error?.message).toBe("string");
  }
  expect(text).not.toContain(SECRET_PASSWORD);
  expect(text).not.toContain(SECRET_TOKEN);
  expect(text).not.toMatch(/\n\s+at |node_modules|Prisma|Invalid `/);
  if (sent.length > 0) expect(text.length).toBeLessThan(8192);
}

describe("the bad-input corpus", () => {
  it("has at least 250 requests", () => {
    expect(cases.length + authorizeCases.length + userBodies.length).toBeGreaterThanOrEqual(250);
  });

  for (const c of cases) {
    it(c.name, async () => {
      // A GET cannot carry a body (fetch refuses to build one).
      const hasBody = c.method !== "GET";
      const request = apiRequest(c.path, {
        method: c.method,
        body: hasBody ? c.body : null,
        json: hasBody ? c.json : undefined,
        headers: c.headers,
      });
      const handler = c.route[(c.method ?? "POST") as keyof RouteModule]!;
      await expectSafe(await handler(request), String(c.json ?? c.body ?? ""));
    });
  }
});

// --- next-auth's credentials callback: our authorize --------------------
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } }).options
  .authorize;
const authorizeCases: [string, unknown][] = [
  ["nothing", undefined],
  ["empty", {}],
  ["phone only", { phone: "9810578899" }],
  ["numbers", { phone: 9810578899, password: 12345678 }],
  ["arrays", { phone: ["9810578899"], password: [SECRET_PASSWORD] }],
  ["NUL phone", { phone: `98105${NUL}78899`, password: SECRET_PASSWORD }],
  ["NUL password", { phone: uniquePhone().slice(4), password: `${SECRET_PASSWORD}${NUL}` }],
  ["emoji phone", { phone: "😀9810578899", password: SECRET_PASSWORD }],
  ["astral password", { phone: uniquePhone().slice(4), password: `𝓪${SECRET_PASSWORD}😀` }],
  ["overlong password", { phone: uniquePhone().slice(4), password: "p".repeat(100_000) }],
  ["overlong phone", { phone: "9".repeat(100_000), password: SECRET_PASSWORD }],
  ["object injection", { phone: { $ne: null }, password: { $ne: null } }],
];

describe("the bad-input corpus: next-auth's credentials callback", () => {
  for (const [name, credentials] of authorizeCases) {
    it(`authorize: ${name}`, async () => {
      const error = await authorize(credentials, {
        headers: { "x-forwarded-for": `2001:db8:ffff:${Math.floor(Math.random() * 65536).toString(16)}::1` },
      }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error, "signed in with garbage").not.toBeNull();
      const decoded = JSON.parse(error!.message) as { code: string; message: string };
      expect(decoded.code).not.toBe("INTERNAL");
      expect(typeof decoded.message).toBe("string");
      expect(error!.message).not.toContain(SECRET_PASSWORD);
    });
  }
});

// --- bodies of the signed-in endpoints: the wrapper's reader and schema --
const userBodies: [string, BodyInit, string][] = [
  ["no content type", JSON.stringify({ email: "a@example.com", password: SECRET_PASSWORD }), ""],
  ["malformed", '{"email":', "application/json"],
  ["huge", JSON.stringify({ email: "a@example.com", password: "x".repeat(40_000) }), "application/json"],
  ["wrong types", JSON.stringify({ email: 1, password: false }), "application/json"],
  ["NUL email", JSON.stringify({ email: `a${NUL}@example.com`, password: SECRET_PASSWORD }), "application/json"],
  // Once accepted, and then a 500 where the audit log masked the address.
  ["emoji-first email", JSON.stringify({ email: "😀a@example.com", password: SECRET_PASSWORD }), "application/json"],
  ["astral-first email", JSON.stringify({ email: "𝓪@example.com", password: SECRET_PASSWORD }), "application/json"],
  ["overlong email", JSON.stringify({ email: `${"a".repeat(5000)}@example.com`, password: SECRET_PASSWORD }), "application/json"],
  ["overlong password", JSON.stringify({ email: "a@example.com", password: "p".repeat(10_000) }), "application/json"],
  ["missing password", JSON.stringify({ email: "a@example.com" }), "application/json"],
  ["array", "[]", "application/json"],
  ["null", "null", "application/json"],
];

describe("the bad-input corpus: bodies of POST /api/account/email", () => {
  for (const [name, body, type] of userBodies) {
    it(`readJson(requestEmailInput): ${name}`, async () => {
      const request = new Request(`${APP}/api/account/email`, { method: "POST", body, headers: type ? { "content-type": type } : {} });
      const outcome = await readJson(request, requestEmailInput, { emailCode: "INVALID_EMAIL" }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isAppError(outcome), "accepted or crashed").toBe(true);
      const appError = outcome as import("@/server/errors").AppError;
      expect(appError.status).toBeLessThan(500);
      expect(JSON.stringify(appError.toBody())).not.toContain(SECRET_PASSWORD);
    });
  }
});

// --- payments: the bodies of the new endpoints (issue 14) ----------------
// Past the session check, every body goes through readJson and its schema,
// as the route wrapper does; what must hold: refused with a specific 4xx,
// the password never echoed.
const future = new Date(Date.now() + 86_400_000).toISOString();
const validSchedule = { toPhone: "9810578899", amount: 1000, firstRunAt: future, repeat: "monthly", password: SECRET_PASSWORD };
const paymentBodies: [string, z.ZodType, unknown][] = [
  ["transfer: amount in rupees with a decimal", transferInput, { toPhone: "9810578899", amount: 10.5, password: SECRET_PASSWORD }],
  ["transfer: amount as a string", transferInput, { toPhone: "9810578899", amount: "1000", password: SECRET_PASSWORD }],
  ["transfer: negative amount", transferInput, { toPhone: "9810578899", amount: -1000, password: SECRET_PASSWORD }],
  ["transfer: zero", transferInput, { toPhone: "9810578899", amount: 0, password: SECRET_PASSWORD }],
  ["transfer: a paisa under Rs. 10", transferInput, { toPhone: "9810578899", amount: 999, password: SECRET_PASSWORD }],
  ["transfer: a paisa over Rs. 25,000", transferInput, { toPhone: "9810578899", amount: 2_500_001, password: SECRET_PASSWORD }],
  ["transfer: huge amount", transferInput, { toPhone: "9810578899", amount: 1e308, password: SECRET_PASSWORD }],
  ["transfer: NaN-like", transferInput, { toPhone: "9810578899", amount: "NaN", password: SECRET_PASSWORD }],
  ["transfer: foreign phone", transferInput, { toPhone: "+14155550100", amount: 1000, password: SECRET_PASSWORD }],
  ["transfer: phone as an object", transferInput, { toPhone: { $ne: null }, amount: 1000, password: SECRET_PASSWORD }],
  ["transfer: overlong note", transferInput, { toPhone: "9810578899", amount: 1000, note: "n".repeat(101), password: SECRET_PASSWORD }],
  ["transfer: no password", transferInput, { toPhone: "9810578899", amount: 1000 }],
  ["top-up: zero", topUpInput, { amount: 0 }],
  ["top-up: beyond the cap", topUpInput, { amount: 1e12 }],
  ["schedule: no time zone", scheduleInput, { ...validSchedule, firstRunAt: "2026-12-01T09:00:00" }],
  ["schedule: not a date", scheduleInput, { ...validSchedule, firstRunAt: "tomorrow" }],
  ["schedule: unknown repeat", scheduleInput, { ...validSchedule, repeat: "yearly" }],
  ["schedule: both ends", scheduleInput, { ...validSchedule, endsAfter: 3, endsOn: "2027-01-01" }],
  ["schedule: zero payments", scheduleInput, { ...validSchedule, endsAfter: 0 }],
  ["schedule: end date malformed", scheduleInput, { ...validSchedule, endsOn: "01/01/2027" }],
  ["schedule: end date impossible", scheduleInput, { ...validSchedule, endsOn: "2027-02-30" }],
  ["schedule: remind as a string", scheduleInput, { ...validSchedule, remind: "yes" }],
  ["change: nothing", scheduleChangeInput, {}],
  ["change: a field that cannot change", scheduleChangeInput, { toPhone: "9810578899" }],
  ["change: status", scheduleChangeInput, { status: "active" }],
  ["change: amount out of bounds", scheduleChangeInput, { amount: 5 }],
  ["change: nextRunAt malformed", scheduleChangeInput, { nextRunAt: "soon" }],
];

describe("the bad-input corpus: bodies of the payment endpoints", () => {
  for (const [name, schema, body] of paymentBodies) {
    it(`readJson: ${name}`, async () => {
      const request = new Request(`${APP}/api/wallet/transfers`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
      const outcome = await readJson(request, schema).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isAppError(outcome), "accepted or crashed").toBe(true);
      const appError = outcome as import("@/server/errors").AppError;
      expect(appError.status).toBe(422);
      expect(Object.keys(appError.fields ?? {}).length, "a field named").toBeGreaterThan(0);
      expect(JSON.stringify(appError.toBody())).not.toContain(SECRET_PASSWORD);
    });
  }
});
