import { describe, expect, it } from "vitest";
import { signUp } from "@/server/accounts/sign-up";
import { passwordMatches } from "@/server/auth/password";
import { db } from "@/server/db";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { publishedEvents } from "@/tests/support/events";
import { auditActions, requestsOf, uniqueEmail, uniquePhone, userRow } from "@/tests/support/factories";
import { race, sendLink } from "@/tests/support/flows";

const meta = { ip: "203.0.113.20", userAgent: "vitest" };
const input = (overrides: { phone?: string; email?: string | null } = {}) => ({
  phone: overrides.phone ?? uniquePhone(),
  fullName: "Nabin Karki",
  password: "wallet-pass-42",
  email: overrides.email ?? null,
  meta,
});

describe("signUp", () => {
  it("creates the account with a hashed password and audits it", async () => {
    const given = input();

    const user = await signUp(given);

    expect(user).toEqual({ id: expect.any(String), phone: given.phone, fullName: "Nabin Karki", email: null, emailVerifiedAt: null });
    const row = await userRow(user.id);
    expect(row.passwordHash).not.toContain(given.password);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await passwordMatches(row.passwordHash, given.password)).toBe(true);
    expect(await auditActions(user.id)).toEqual(["account.created"]);
    expect(await requestsOf(user.id)).toEqual([]);
  });

  it("an email given at signup is stored unverified and its verification starts at once", async () => {
    const email = uniqueEmail();

    const user = await signUp(input({ email }));

    expect(user).toMatchObject({ email, emailVerifiedAt: null });
    const [request] = await requestsOf(user.id);
    expect(request).toMatchObject({ kind: "add", status: "pending", newEmail: email });
    expect(await publishedEvents({ name: "account/email.requested", requestId: request!.id })).toHaveLength(1);
    const { token } = await sendLink(request!.id);
    await expect(confirmEmailLink({ token, meta })).resolves.toMatchObject({ outcome: "verified", userId: user.id });
  });

  it("refuses a phone that already has an account with PHONE_TAKEN", async () => {
    const phone = uniquePhone();
    await signUp(input({ phone }));

    await expect(signUp(input({ phone }))).rejects.toMatchObject({ code: "PHONE_TAKEN", fields: { phone: expect.any(String) } });
    expect(await db.user.count({ where: { phone } })).toBe(1);
  });

  it("two signups with one phone at once: the unique index lets one through, the other gets PHONE_TAKEN", async () => {
    const phone = uniquePhone();
    const emails = [uniqueEmail(), uniqueEmail()];

    const { won, codes } = await race(2, (i) => signUp(input({ phone, email: emails[i] })));

    expect(won).toHaveLength(1);
    expect(codes).toEqual(["PHONE_TAKEN"]);
    expect(await db.user.count({ where: { phone } })).toBe(1);
    // The loser left nothing behind: no address held, no request.
    const loserEmail = emails.find((email) => email !== won[0]!.email)!;
    expect(await db.user.count({ where: { email: loserEmail } })).toBe(0);
    expect(await db.emailRequest.count({ where: { newEmail: loserEmail } })).toBe(0);
  });

  it("is one transaction: when starting the address's verification fails, no half-made account is left", async () => {
    const email = uniqueEmail("atomic");
    const phone = uniquePhone();
    // A failure after the user row is written, for this address only (the trigger ignores every other test's rows).
    const fn = `fail_${email.replace(/[^a-z0-9]/g, "_")}`;
    await db.$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN IF NEW.new_email = '${email}' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await db.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON email_requests FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      await expect(signUp(input({ phone, email }))).rejects.toThrow();
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER ${fn} ON email_requests`);
      await db.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }

    expect(await db.user.count({ where: { phone } })).toBe(0);
    // The phone is free: signing up again works.
    await expect(signUp(input({ phone, email }))).resolves.toMatchObject({ phone });
  });
});
