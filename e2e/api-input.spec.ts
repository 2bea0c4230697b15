import { expect, test } from "@playwright/test";
import { sql } from "./support/database";
import { PASSWORD, uniquePhone } from "./support/users";

// Bad input answers 4xx in the API's error shape and changes nothing.

const valid = () => ({ phone: uniquePhone(), fullName: "Nima Sherpa", password: PASSWORD });

async function countUsers() {
  return Number((await sql<{ n: string }>("SELECT count(*) AS n FROM users"))[0]!.n);
}

test.describe("POST /api/auth/signup rejects bad input", () => {
  const cases: { name: string; body: string; contentType?: string; status: number; code: string; field?: string }[] = [
    { name: "malformed JSON", body: "{\"phone\":", status: 400, code: "INVALID_JSON" },
    { name: "a JSON array", body: "[]", status: 422, code: "INVALID_INPUT" },
    { name: "missing fields", body: "{}", status: 422, code: "INVALID_INPUT", field: "phone" },
    { name: "wrong types", body: JSON.stringify({ phone: 9810578899, fullName: ["x"], password: true }), status: 422, code: "INVALID_INPUT", field: "password" },
    { name: "an invalid phone", body: JSON.stringify({ ...valid(), phone: "01-5524415" }), status: 422, code: "INVALID_INPUT", field: "phone" },
    { name: "a weak password", body: JSON.stringify({ ...valid(), password: "aaaaaaaa" }), status: 422, code: "INVALID_INPUT", field: "password" },
    { name: "an invalid email", body: JSON.stringify({ ...valid(), email: "nobody@" }), status: 422, code: "INVALID_INPUT", field: "email" },
    { name: "an oversized body", body: JSON.stringify({ ...valid(), fullName: "x".repeat(20_000) }), status: 413, code: "PAYLOAD_TOO_LARGE" },
    { name: "a form body", body: "phone=9810578899", contentType: "application/x-www-form-urlencoded", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
  ];

  for (const testCase of cases) {
    test(testCase.name, async ({ request }) => {
      const before = await countUsers();
      const response = await request.post("/api/auth/signup", {
        headers: { "content-type": testCase.contentType ?? "application/json" },
        data: Buffer.from(testCase.body),
      });
      expect(response.status()).toBe(testCase.status);
      const body = await response.json();
      expect(body.error.code).toBe(testCase.code);
      expect(typeof body.error.message).toBe("string");
      if (testCase.field) expect(body.error.fields?.[testCase.field]).toEqual(expect.any(String));
      expect(await countUsers()).toBe(before);
    });
  }

  test("a cross-origin request", async ({ request }) => {
    const body = valid();
    const response = await request.post("/api/auth/signup", { headers: { origin: "https://evil.example" }, data: body });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe("CROSS_ORIGIN");
    expect(await sql("SELECT 1 FROM users WHERE phone = $1", [`+977${body.phone}`])).toHaveLength(0);
  });

  test("the same phone twice, written differently", async ({ request }) => {
    const body = valid();
    expect((await request.post("/api/auth/signup", { data: body })).status()).toBe(201);
    const again = await request.post("/api/auth/signup", { data: { ...body, phone: `+977-${body.phone}` } });
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe("PHONE_TAKEN");
  });
});

test("GET /api/account without a session is 401 in the error shape", async ({ request }) => {
  const response = await request.get("/api/account");
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("UNAUTHENTICATED");
});

test("GET /api/health reports the database and mail", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe("ok");
  expect(body.checks.database.ok).toBe(true);
  expect(body.checks.smtp.ok).toBe(true);
});
