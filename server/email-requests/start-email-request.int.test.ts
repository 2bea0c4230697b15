import { describe, expect, it } from "vitest";
import { emailRequestView } from "@/lib/api";
import { rules } from "@/lib/rules";
import { NO_META } from "@/server/audit";
import { startEmailRequest } from "@/server/email-requests/start-email-request";
import { publishedEvents } from "@/tests/support/events";
import { createUser, createVerifiedUser, reloadUser, requestsOf, uniqueEmail, userRow, type TestUser } from "@/tests/support/factories";
import { race, startAdd } from "@/tests/support/flows";

const start = (user: TestUser, email: string, password = user.password) => startEmailRequest({ user, email, password, meta: NO_META });

describe("startEmailRequest", () => {
  it("without an email: an add, answered as the API's emailRequest view", async () => {
    const user = await createUser();
    const email = uniqueEmail();

    const view = await start(user, email);

    expect(emailRequestView.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      kind: "add",
      status: "pending",
      step: "verify",
      currentHop: null,
      newEmail: email,
      sentTo: null,
      expiresAt: null,
    });
    expect(await userRow(user.id)).toMatchObject({ email: null, emailVerifiedAt: null });
    expect(await publishedEvents({ name: "account/email.requested", requestId: view.id })).toMatchObject([{ data: { kind: "add" } }]);
  });

  it("with an address awaiting verification: still an add, superseding the pending one", async () => {
    const user = await createUser({ email: true });

    const view = await start(user, uniqueEmail());

    expect(view.kind).toBe("add");
    expect((await userRow(user.id)).email).toBeNull();
    expect((await requestsOf(user.id)).map((request) => request.status)).toEqual(["superseded", "pending"]);
  });

  it("with a verified email: a change whose first step is the old address; the account keeps its address", async () => {
    const user = await createVerifiedUser();

    const view = await start(user, uniqueEmail());

    expect(view).toMatchObject({ kind: "change", step: "change-old", currentHop: "old" });
    expect(await userRow(user.id)).toMatchObject({ email: user.email, emailVerifiedAt: user.emailVerifiedAt });
  });

  it("refuses the account's own verified address with SAME_EMAIL before checking the password", async () => {
    const user = await createVerifiedUser();

    await expect(start(user, user.email!, "not-the-password")).rejects.toMatchObject({ code: "SAME_EMAIL" });

    expect((await userRow(user.id)).failedPasswordCount).toBe(0);
    expect(await requestsOf(user.id)).toEqual([]);
  });

  it("re-authenticates: a wrong password is counted, says how many attempts are left, and starts nothing", async () => {
    const user = await createUser();

    await expect(start(user, uniqueEmail(), "not-the-password")).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
      extra: { attemptsLeft: rules.lockoutThreshold - 1 },
    });

    expect(await requestsOf(user.id)).toEqual([]);
    expect((await userRow(user.id)).email).toBeNull();
  });

  it("checks the password before saying an address is taken (no probing for addresses without it)", async () => {
    const email = uniqueEmail();
    await createUser({ email, verified: true });
    const user = await createUser();

    await expect(start(user, email, "not-the-password")).rejects.toMatchObject({ code: "WRONG_PASSWORD" });
    await expect(start(user, email)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
  });

  it("refuses a locked account even with the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < rules.lockoutThreshold; i++) await start(user, uniqueEmail(), "not-the-password").catch(() => {});

    await expect(start(await reloadUser(user), uniqueEmail())).rejects.toMatchObject({ code: "LOCKED", retryAfter: expect.any(Number) });
    expect(await requestsOf(user.id)).toEqual([]);
  });

  it("two submissions at once leave exactly one pending request", async () => {
    const user = await createUser();
    await startAdd(user);

    const { won, codes } = await race(2, () => start(user, uniqueEmail()));

    expect(codes).toEqual([]);
    const pending = (await requestsOf(user.id)).filter((request) => request.status === "pending");
    expect(pending).toHaveLength(1);
    expect(won.map((view) => view.id)).toContain(pending[0]!.id);
  });
});
