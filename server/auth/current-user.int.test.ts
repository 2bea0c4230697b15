import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { endSession } from "@/server/auth/end-session";
import { SESSION_COOKIE, sessionCookieValue } from "@/server/auth/session-cookie";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { createUser, createVerifiedUser } from "@/tests/support/factories";
import { ageSession, currentUserFor, sessionFor, sessionRow, signInSession } from "@/tests/support/sessions";

// getCurrentUser decodes next-auth's session cookie itself (key derived once,
// server/auth/session-cookie.ts) and checks the session and reads the user in
// one statement, instead of running getServerSession on every request. It must
// accept exactly the cookies next-auth's own session handler accepts, and
// refuse the rest: each case asks both.

const meta = { ip: "198.51.100.7", userAgent: "vitest" };

/** Both readings of one cookie: next-auth's (getServerSession + the jwt callback) and the app's. */
async function bothRead(cookie: string) {
  return { nextAuth: await sessionFor(cookie), app: await currentUserFor(cookie) };
}

describe("getCurrentUser's reading of the session cookie", () => {
  it("a valid cookie is its user, with every field the app reads, as next-auth sees it", async () => {
    const user = await createVerifiedUser();
    const { sessionId, cookie } = await signInSession(user);

    const { nextAuth, app } = await bothRead(cookie);
    expect(nextAuth).toMatchObject({ user: { id: user.id }, sessionId, sessionVersion: user.sessionVersion });
    expect(app).toEqual({
      id: user.id,
      phone: user.phone,
      fullName: user.fullName,
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      sessionVersion: user.sessionVersion,
      passwordHash: user.passwordHash,
      lockedUntil: null,
      sessionId,
    });
  });

  it("two users' cookies read one after the other are each their own user (nothing is kept between requests)", async () => {
    const [alice, bob] = [await createUser({ fullName: "Alice" }), await createUser({ fullName: "Bob" })];
    const [a, b] = [await signInSession(alice), await signInSession(bob)];

    expect(await currentUserFor(a.cookie)).toMatchObject({ id: alice.id, fullName: "Alice", sessionId: a.sessionId });
    expect(await currentUserFor(b.cookie)).toMatchObject({ id: bob.id, fullName: "Bob", sessionId: b.sessionId });
    expect(await currentUserFor(a.cookie)).toMatchObject({ id: alice.id, sessionId: a.sessionId });
  });

  it("a tampered cookie is no session", async () => {
    const { cookie } = await signInSession(await createUser());
    const parts = cookie.split(".");
    // Flip one character of the ciphertext, then of the authentication tag.
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
    for (const index of [3, 4]) {
      const tampered = parts.map((part, at) => (at === index ? flip(part) : part)).join(".");
      expect(await bothRead(tampered)).toEqual({ nextAuth: null, app: null });
    }
    expect(await bothRead("not-a-jwe")).toEqual({ nextAuth: null, app: null });
  });

  it("a cookie made with another secret is no session, even for a live session row", async () => {
    const user = await createUser();
    const { sessionId } = await signInSession(user);
    const forged = await encode({
      token: { sub: user.id, name: user.fullName, sv: user.sessionVersion, sid: sessionId },
      secret: `${env.NEXTAUTH_SECRET}-but-another-one`,
    });

    expect(await bothRead(forged)).toEqual({ nextAuth: null, app: null });
  });

  it("an expired cookie is no session; within next-auth's 15 s clock tolerance it still is", async () => {
    const user = await createUser();
    const { sessionId } = await signInSession(user);
    const token = { sub: user.id, name: user.fullName, sv: user.sessionVersion, sid: sessionId };
    const expired = await encode({ token, secret: env.NEXTAUTH_SECRET, maxAge: -60 });
    const justExpired = await encode({ token, secret: env.NEXTAUTH_SECRET, maxAge: -5 });

    expect(await bothRead(expired)).toEqual({ nextAuth: null, app: null });
    const lenient = await bothRead(justExpired);
    expect(lenient.nextAuth).toMatchObject({ sessionId });
    expect(lenient.app).toMatchObject({ id: user.id, sessionId });
  });

  it("an ended session (sign-out) is no session, though its cookie is still a valid JWT", async () => {
    const user = await createUser();
    const { sessionId, cookie } = await signInSession(user);
    await endSession({ sessionId, userId: user.id, meta });

    expect(await bothRead(cookie)).toEqual({ nextAuth: null, app: null });
  });

  it("a bumped session version (an email change) is no session", async () => {
    const user = await createUser();
    const { cookie } = await signInSession(user);
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });

    expect(await bothRead(cookie)).toEqual({ nextAuth: null, app: null });
  });

  it("a JWT without a session id, without a user, or naming another user's session is no session", async () => {
    const user = await createUser();
    const other = await signInSession(await createUser());
    const own = await signInSession(user);
    const cookies = [
      await encode({ token: { sub: user.id, sv: user.sessionVersion }, secret: env.NEXTAUTH_SECRET }),
      await encode({ token: { sv: user.sessionVersion, sid: own.sessionId }, secret: env.NEXTAUTH_SECRET }),
      await encode({ token: { sub: user.id, sv: user.sessionVersion, sid: other.sessionId }, secret: env.NEXTAUTH_SECRET }),
      await encode({ token: { sub: user.id, sv: user.sessionVersion, sid: "not-a-uuid" }, secret: env.NEXTAUTH_SECRET }),
    ];
    for (const cookie of cookies) expect(await bothRead(cookie)).toEqual({ nextAuth: null, app: null });
  });

  it("a session past its idle timeout is no session; using a live one moves its last-seen time at most once a minute", async () => {
    const user = await createUser();
    const live = await signInSession(user);
    const idle = await signInSession(user);
    await ageSession(idle.sessionId, { createdMs: rules.sessionIdleTimeoutMs + 60_000, lastSeenMs: rules.sessionIdleTimeoutMs + 60_000 });
    expect(await bothRead(idle.cookie)).toEqual({ nextAuth: null, app: null });

    await ageSession(live.sessionId, { lastSeenMs: 30_000 });
    const before = (await sessionRow(live.sessionId)).lastSeenAt;
    await currentUserFor(live.cookie);
    expect((await sessionRow(live.sessionId)).lastSeenAt).toEqual(before);
    await ageSession(live.sessionId, { lastSeenMs: 60_000 });
    await currentUserFor(live.cookie);
    expect((await sessionRow(live.sessionId)).lastSeenAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it("reads the cookie next-auth set, whole or split into numbered chunks", () => {
    expect(sessionCookieValue([{ name: "other", value: "x" }])).toBeUndefined();
    expect(sessionCookieValue([{ name: SESSION_COOKIE, value: "whole" }])).toBe("whole");
    expect(
      sessionCookieValue([
        { name: `${SESSION_COOKIE}.1`, value: "second" },
        { name: `${SESSION_COOKIE}.0`, value: "first-" },
        { name: `${SESSION_COOKIE}.x`, value: "ignored" },
      ]),
    ).toBe("first-second");
  });
});
