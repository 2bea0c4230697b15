import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { endSession } from "@/server/auth/end-session";
import { mintSessionToken } from "@/server/auth/session-cookie";
import { signInWithPassword } from "@/server/auth/sign-in-with-password";
import { scaledLimit } from "@/server/budgets/take-client-budget";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { rejectionOf } from "@/tests/support/flows";
import { createUser, uniquePhone } from "@/tests/support/factories";
import { uniqueIp } from "@/tests/support/http";
import { currentUserFor, sessionFor, sessionRow } from "@/tests/support/sessions";

// The credentials sign-in shared by next-auth's authorize and the sign-in
// form's server action, and the session cookie the action mints: it must be
// a session for next-auth and for getCurrentUser exactly as next-auth's own.

const metaFor = (ip = uniqueIp()) => ({ ip, userAgent: "vitest form" });

describe("signInWithPassword", () => {
  it("opens a session row for the client and answers what the session token carries", async () => {
    const user = await createUser({ fullName: "Gita Shrestha" });
    const meta = metaFor();

    const signed = await signInWithPassword({ phone: user.phone, password: user.password, meta });

    expect(signed).toMatchObject({ id: user.id, name: "Gita Shrestha", sessionVersion: user.sessionVersion });
    expect(await sessionRow(signed.sessionId)).toMatchObject({ userId: user.id, ip: meta.ip, userAgent: meta.userAgent, endedAt: null });
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "auth.signed_in" } })).toBe(1);
  });

  it("a wrong password opens no session and keeps the API's error (attempts left)", async () => {
    const user = await createUser();

    const error = await rejectionOf(signInWithPassword({ phone: user.phone, password: "wrong-password-1", meta: metaFor() }));

    expect(error.code).toBe("WRONG_PASSWORD");
    expect(error.toBody().error.attemptsLeft).toBeGreaterThan(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("failures spend the client's budget before any password check; a success gives its unit back", async () => {
    const user = await createUser();
    const meta = metaFor();
    for (let i = 0; i < scaledLimit("failedSignIn") - 1; i++) {
      expect((await rejectionOf(signInWithPassword({ phone: uniquePhone(), password: "wrong-password-1", meta }))).code).toBe(
        "WRONG_PASSWORD",
      );
    }
    await signInWithPassword({ phone: user.phone, password: user.password, meta });
    expect((await rejectionOf(signInWithPassword({ phone: uniquePhone(), password: "wrong-password-1", meta }))).code).toBe(
      "WRONG_PASSWORD",
    );
    expect((await rejectionOf(signInWithPassword({ phone: user.phone, password: user.password, meta }))).code).toBe("RATE_LIMITED");
  });
});

describe("mintSessionToken", () => {
  it("mints what next-auth would: getCurrentUser accepts it as this session", async () => {
    const user = await createUser();
    const signed = await signInWithPassword({ phone: user.phone, password: user.password, meta: metaFor() });

    const cookie = await mintSessionToken(signed);

    expect(await decode({ token: cookie, secret: env.NEXTAUTH_SECRET })).toMatchObject({
      sub: user.id,
      name: user.fullName,
      sv: user.sessionVersion,
      sid: signed.sessionId,
    });
    expect(await sessionFor(cookie)).toMatchObject({ user: { id: user.id }, sessionId: signed.sessionId });
    expect(await currentUserFor(cookie)).toMatchObject({ id: user.id, sessionId: signed.sessionId });
  });

  it("a token whose session has ended is no session at all", async () => {
    const user = await createUser();
    const signed = await signInWithPassword({ phone: user.phone, password: user.password, meta: metaFor() });
    const cookie = await mintSessionToken(signed);

    await endSession({ sessionId: signed.sessionId, userId: user.id, meta: metaFor() });

    expect(await currentUserFor(cookie)).toBeNull();
  });

  it("a token signed with another secret is refused", async () => {
    const user = await createUser();
    const signed = await signInWithPassword({ phone: user.phone, password: user.password, meta: metaFor() });
    const forged = await encode({
      token: { sub: user.id, name: "x", sv: user.sessionVersion, sid: signed.sessionId },
      secret: "another-secret",
    });

    expect(await currentUserFor(forged)).toBeNull();
  });
});
