import type { APIRequestContext } from "@playwright/test";
import { PASSWORD, expect, test, uniquePhone } from "./support/fixtures";

// Bad input answers 4xx in the API's error shape and changes nothing.

const valid = (phone: string) => ({ phone, fullName: "Nima Sherpa", password: PASSWORD });

/** Nothing was created for `phone`: a correct signup with it still succeeds. */
async function expectPhoneStillFree(request: APIRequestContext, phone: string) {
  const signup = await request.post("/api/auth/signup", { data: valid(phone) });
  expect(signup.status(), `a correct signup for ${phone} afterwards`).toBe(201);
}

test.describe("POST /api/auth/signup rejects bad input", () => {
  const cases: { name: string; body: (phone: string) => string; contentType?: string; status: number; code: string; field?: string }[] = [
    { name: "malformed JSON", body: (phone) => `{"phone":"${phone}",`, status: 400, code: "INVALID_JSON" },
    { name: "a JSON array", body: (phone) => JSON.stringify([valid(phone)]), status: 422, code: "INVALID_INPUT" },
    { name: "missing fields", body: () => "{}", status: 422, code: "INVALID_INPUT", field: "phone" },
    {
      name: "wrong types",
      body: (phone) => JSON.stringify({ phone: Number(phone), fullName: ["x"], password: true }),
      status: 422,
      code: "INVALID_INPUT",
      field: "password",
    },
    {
      name: "an invalid phone",
      body: (phone) => JSON.stringify({ ...valid(phone), phone: "01-5524415" }),
      status: 422,
      code: "INVALID_INPUT",
      field: "phone",
    },
    {
      name: "a weak password",
      body: (phone) => JSON.stringify({ ...valid(phone), password: "aaaaaaaa" }),
      status: 422,
      code: "INVALID_INPUT",
      field: "password",
    },
    {
      name: "an invalid email",
      body: (phone) => JSON.stringify({ ...valid(phone), email: "nobody@" }),
      status: 422,
      code: "INVALID_INPUT",
      field: "email",
    },
    {
      name: "an oversized body",
      body: (phone) => JSON.stringify({ ...valid(phone), fullName: "x".repeat(20_000) }),
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
    {
      name: "a form body",
      body: (phone) => new URLSearchParams(valid(phone)).toString(),
      contentType: "application/x-www-form-urlencoded",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
  ];

  for (const testCase of cases) {
    test(testCase.name, async ({ request, accounts }) => {
      const phone = uniquePhone();
      accounts.remember(phone);
      const body = testCase.body(phone);
      const response = await request.post("/api/auth/signup", {
        headers: { "content-type": testCase.contentType ?? "application/json" },
        data: Buffer.from(body),
      });
      expect(response.status()).toBe(testCase.status);
      const answer = await response.json();
      expect(answer.error.code).toBe(testCase.code);
      expect(typeof answer.error.message).toBe("string");
      if (testCase.field) expect(answer.error.fields?.[testCase.field]).toEqual(expect.any(String));
      // Only a body that names a valid number could have created an account.
      if (body.includes(phone)) await expectPhoneStillFree(request, phone);
    });
  }

  test("a cross-origin request", async ({ request, accounts }) => {
    const phone = uniquePhone();
    accounts.remember(phone);
    const response = await request.post("/api/auth/signup", { headers: { origin: "https://evil.example" }, data: valid(phone) });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe("CROSS_ORIGIN");
    await expectPhoneStillFree(request, phone);
  });

  test("the same phone twice, written differently", async ({ request, accounts }) => {
    const phone = uniquePhone();
    accounts.remember(phone);
    expect((await request.post("/api/auth/signup", { data: valid(phone) })).status()).toBe(201);
    const again = await request.post("/api/auth/signup", { data: { ...valid(phone), phone: `+977-${phone}` } });
    expect(again.status()).toBe(409);
    expect((await again.json()).error.code).toBe("PHONE_TAKEN");
  });
});

test("GET /api/account without a session is 401 in the error shape", async ({ request }) => {
  const response = await request.get("/api/account");
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("UNAUTHENTICATED");
});

test("GET /api/health answers the public with its status only (the checks need HEALTH_TOKEN)", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});
