import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { encodeSignInError } from "@/lib/sign-in-error";
import { requestMeta } from "@/server/audit";
import { DEVICE_COOKIE, isDeviceOf } from "@/server/auth/device-cookie";
import { finishSignIn } from "@/server/auth/finish-sign-in";
import { env } from "@/server/env";

const USER = "7d9f1c7e-1b7a-4a8e-9a51-0c1d6b8e2f10";
const signInRequest = () => new Request("http://localhost:3000/api/auth/callback/credentials", { method: "POST" });

async function sessionAnswer(sub: string) {
  const token = await encode({ token: { sub, sv: 1 }, secret: env.NEXTAUTH_SECRET });
  const headers = new Headers({ "content-type": "application/json" });
  headers.append("set-cookie", "next-auth.csrf-token=abc; Path=/; HttpOnly");
  headers.append("set-cookie", `next-auth.session-token=${token}; Path=/; HttpOnly; SameSite=Lax`);
  return new Response(JSON.stringify({ url: "http://localhost:3000/profile" }), { status: 200, headers });
}

function refusal(error: Parameters<typeof encodeSignInError>[0]) {
  const url = `http://localhost:3000/signin?error=${encodeURIComponent(encodeSignInError(error))}`;
  return new Response(JSON.stringify({ url }), { status: 200, headers: { "content-type": "application/json" } });
}

function deviceCookieIn(response: Response): string | null {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${DEVICE_COOKIE}=`));
  return cookie ? cookie.slice(DEVICE_COOKIE.length + 1).split(";")[0]! : null;
}

describe("finishSignIn", () => {
  it("a successful sign-in also sets the account's device cookie, HttpOnly, next to the session", async () => {
    const answer = await finishSignIn(signInRequest(), await sessionAnswer(USER));

    expect(answer.status).toBe(200);
    expect(isDeviceOf(deviceCookieIn(answer), USER)).toBe(true);
    // next-auth's own cookies are all still there.
    expect(answer.headers.getSetCookie().join("\n")).toMatch(/next-auth\.csrf-token=abc[\s\S]*next-auth\.session-token=/);
    expect(answer.headers.getSetCookie().find((c) => c.startsWith(DEVICE_COOKIE))).toMatch(/HttpOnly/i);
    expect(await answer.json()).toEqual({ url: "http://localhost:3000/profile" });
  });

  it("a session cookie that is not ours gives no device cookie", async () => {
    const forged = await encode({ token: { sub: USER }, secret: "some-other-secret-0123456789abcdef0123" });
    const response = new Response("{}", { headers: { "set-cookie": `next-auth.session-token=${forged}; Path=/` } });

    expect(deviceCookieIn(await finishSignIn(signInRequest(), response))).toBeNull();
  });

  it("a refusal because of a lock answers 423 with Retry-After in seconds; the body keeps the milliseconds", async () => {
    const locked = {
      code: "LOCKED" as const,
      message: "Locked.",
      lockedUntil: new Date(Date.now() + 90_500).toISOString(),
      retryAfterMs: 90_500,
    };

    const answer = await finishSignIn(signInRequest(), refusal(locked));

    expect(answer.status).toBe(423);
    expect(answer.headers.get("retry-after")).toBe("91");
    expect(deviceCookieIn(answer)).toBeNull();
    const { url } = (await answer.json()) as { url: string };
    expect(JSON.parse(new URL(url).searchParams.get("error")!)).toMatchObject({ code: "LOCKED", retryAfterMs: 90_500 });
  });

  it("other refusals and other next-auth routes pass through untouched", async () => {
    const wrong = refusal({ code: "WRONG_PASSWORD", message: "Wrong password.", attemptsLeft: 3 });
    expect(await finishSignIn(signInRequest(), wrong)).toBe(wrong);

    const elsewhere = await sessionAnswer(USER);
    expect(await finishSignIn(new Request("http://localhost:3000/api/auth/session"), elsewhere)).toBe(elsewhere);
  });
});

describe("device cookies", () => {
  it("belong to one account, expire, and cannot be altered", async () => {
    const { issueDeviceCookie } = await import("@/server/auth/device-cookie");
    const { rules } = await import("@/lib/rules");
    const value = issueDeviceCookie(USER);

    expect(isDeviceOf(value, USER)).toBe(true);
    expect(isDeviceOf(value, "00000000-0000-4000-8000-000000000000")).toBe(false);
    expect(isDeviceOf(value.replace(USER, "00000000-0000-4000-8000-000000000000"), "00000000-0000-4000-8000-000000000000")).toBe(false);
    expect(isDeviceOf(issueDeviceCookie(USER, Date.now() - rules.deviceCookieLifetimeMs - 1000), USER)).toBe(false);
    expect(isDeviceOf(`${value}x`, USER)).toBe(false);
    expect(isDeviceOf(null, USER)).toBe(false);
  });
});

describe("requestMeta", () => {
  it("carries the raw device cookie from the Cookie header, for the password check to verify", async () => {
    const { issueDeviceCookie } = await import("@/server/auth/device-cookie");
    const value = issueDeviceCookie(USER);
    const meta = requestMeta(new Headers({ cookie: `next-auth.session-token=abc; ${DEVICE_COOKIE}=${value}; other=1` }));
    expect(meta.deviceCookie).toBe(value);
    expect(requestMeta({ cookie: "other=1" }).deviceCookie).toBeUndefined();
  });
});
