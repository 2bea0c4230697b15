import { describe, expect, it } from "vitest";
import { rules } from "@/lib/rules";
import { endAllSessions } from "@/server/accounts/end-all-sessions";
import { endSession } from "@/server/auth/end-session";
import { authOptions } from "@/server/auth/options";
import { withRequestMeta } from "@/server/auth/request-context";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { createUser } from "@/tests/support/factories";
import { ageSession, currentUserFor, sessionFor, sessionRow, signInSession } from "@/tests/support/sessions";
import { encode } from "next-auth/jwt";

const meta = { ip: "198.51.100.7", userAgent: "vitest" };
const MINUTE = 60_000;

describe("server-side sessions", () => {
  it("a fresh sign-in is a session for next-auth and for getCurrentUser, recorded with the device", async () => {
    const user = await createUser();
    const { sessionId, cookie } = await signInSession(user, { ip: "203.0.113.50", userAgent: "Firefox on Android" });

    expect(await sessionFor(cookie)).toMatchObject({ user: { id: user.id }, sessionId });
    expect(await currentUserFor(cookie)).toMatchObject({ id: user.id, sessionId });
    expect(await sessionRow(sessionId)).toMatchObject({
      userId: user.id,
      ip: "203.0.113.50",
      userAgent: "Firefox on Android",
      endedAt: null,
    });
  });

  it("a sign-in through next-auth's credentials provider records the session with the client's device", async () => {
    const user = await createUser();
    const provider = authOptions.providers[0] as unknown as {
      options: {
        authorize: (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ sessionId: string }>;
      };
    };

    const signed = await provider.options.authorize(
      { phone: user.phone, password: user.password },
      { headers: { "user-agent": "Safari on iPhone", "x-forwarded-for": "203.0.113.77" } },
    );

    expect(await sessionRow(signed.sessionId)).toMatchObject({ userId: user.id, userAgent: "Safari on iPhone", endedAt: null });
  });

  it("sign-out ends the session on the server: the same cookie, replayed, is no session anywhere; audited with the IP", async () => {
    const user = await createUser();
    const { sessionId, cookie } = await signInSession(user);
    const other = await signInSession(user);

    await withRequestMeta(meta, () => authOptions.events!.signOut!({ token: { sub: user.id, sid: sessionId } } as never));

    expect(await sessionFor(cookie)).toBeNull();
    expect(await currentUserFor(cookie)).toBeNull();
    expect(await sessionRow(sessionId)).toMatchObject({ endReason: "signed_out", endedAt: expect.any(Date) });
    // Only that browser: the user's other session goes on.
    expect(await currentUserFor(other.cookie)).toMatchObject({ id: user.id });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "auth.signed_out" } });
    expect(audit).toMatchObject({ ip: meta.ip, userAgent: meta.userAgent, details: { sessionId } });
  });

  it("ending a session twice records it once", async () => {
    const user = await createUser();
    const { sessionId } = await signInSession(user);

    expect(await endSession({ sessionId, userId: user.id, meta })).toBe(true);
    expect(await endSession({ sessionId, userId: user.id, meta })).toBe(false);
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "auth.signed_out" } })).toBe(1);
  });

  it("sign out everywhere ends every session of the user, this one too, and no one else's", async () => {
    const user = await createUser();
    const stranger = await createUser();
    const mine = [await signInSession(user), await signInSession(user)];
    const theirs = await signInSession(stranger);

    expect(await endAllSessions({ user, meta })).toEqual({ ended: 2 });

    for (const { cookie } of mine) expect(await sessionFor(cookie)).toBeNull();
    expect(await currentUserFor(theirs.cookie)).toMatchObject({ id: stranger.id });
    expect(await db.auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "auth.signed_out_everywhere" } })).toMatchObject({
      ip: meta.ip,
      details: { sessions: 2 },
    });
  });

  it(`ends ${rules.sessionLifetimeMs / (24 * 60 * MINUTE)} days after sign-in, however active`, async () => {
    const user = await createUser();
    const young = await signInSession(user);
    const old = await signInSession(user);
    await ageSession(young.sessionId, { createdMs: rules.sessionLifetimeMs - 5 * MINUTE });
    await ageSession(old.sessionId, { createdMs: rules.sessionLifetimeMs + MINUTE });

    expect(await currentUserFor(young.cookie)).toMatchObject({ id: user.id });
    expect(await currentUserFor(old.cookie)).toBeNull();
    expect(await sessionFor(old.cookie)).toBeNull();
  });

  it(`ends after ${rules.sessionIdleTimeoutMs / (24 * 60 * MINUTE)} days without a request`, async () => {
    const user = await createUser();
    const recent = await signInSession(user);
    const idle = await signInSession(user);
    await ageSession(recent.sessionId, { createdMs: rules.sessionIdleTimeoutMs, lastSeenMs: rules.sessionIdleTimeoutMs - 5 * MINUTE });
    await ageSession(idle.sessionId, { createdMs: rules.sessionIdleTimeoutMs * 2, lastSeenMs: rules.sessionIdleTimeoutMs + MINUTE });

    expect(await sessionFor(recent.cookie)).toMatchObject({ sessionId: recent.sessionId });
    expect(await sessionFor(idle.cookie)).toBeNull();
    // Using the session counts as activity: the idle clock restarts.
    expect((await sessionRow(recent.sessionId)).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - MINUTE);
  });

  it("writes the last-seen time at most once a minute", async () => {
    const user = await createUser();
    const { sessionId, cookie } = await signInSession(user);
    await ageSession(sessionId, { lastSeenMs: 30_000 });
    const before = (await sessionRow(sessionId)).lastSeenAt;

    await sessionFor(cookie);
    expect((await sessionRow(sessionId)).lastSeenAt).toEqual(before);

    await ageSession(sessionId, { lastSeenMs: MINUTE });
    await sessionFor(cookie);
    expect((await sessionRow(sessionId)).lastSeenAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it("a JWT without a session row (issued before sessions were recorded, or forged with the secret) is no session", async () => {
    const user = await createUser();
    const cookie = await encode({ token: { sub: user.id, name: user.fullName, sv: user.sessionVersion }, secret: env.NEXTAUTH_SECRET });
    const unknownRow = await encode({
      token: { sub: user.id, sv: user.sessionVersion, sid: crypto.randomUUID() },
      secret: env.NEXTAUTH_SECRET,
    });

    expect(await sessionFor(cookie)).toBeNull();
    expect(await sessionFor(unknownRow)).toBeNull();
  });

  it("another user's session id in a JWT is no session", async () => {
    const user = await createUser();
    const victim = await signInSession(await createUser());
    const cookie = await encode({ token: { sub: user.id, sv: user.sessionVersion, sid: victim.sessionId }, secret: env.NEXTAUTH_SECRET });

    expect(await sessionFor(cookie)).toBeNull();
  });

  it("an email change (the session version bump) still ends the sessions issued before it", async () => {
    const user = await createUser();
    const { cookie } = await signInSession(user);
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });

    expect(await sessionFor(cookie)).toBeNull();
    expect(await currentUserFor(cookie)).toBeNull();
  });
});
