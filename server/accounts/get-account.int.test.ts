import { describe, expect, it } from "vitest";
import { accountView } from "@/lib/api";
import { maskEmail } from "@/lib/email-address";
import { getAccount } from "@/server/accounts/get-account";
import { NO_META } from "@/server/audit";
import { confirmEmailLink } from "@/server/email-requests/confirm-email-link";
import { getPendingRequest } from "@/server/email-requests/get-pending-request";
import { createUser, createVerifiedUser, reloadUser } from "@/tests/support/factories";
import { startAdd, startChange } from "@/tests/support/flows";

describe("getAccount", () => {
  it("a user with nothing pending: the user and a null request, in the API's shape", async () => {
    const user = await createUser({ fullName: "Sita Sharma" });

    const account = await getAccount(user);

    expect(accountView.parse(account)).toEqual(account);
    expect(account).toEqual({
      user: { id: user.id, phone: user.phone, fullName: "Sita Sharma", email: null, emailVerified: false },
      emailRequest: null,
    });
    expect(JSON.stringify(account)).not.toContain(user.passwordHash);
  });

  it("a pending add: the unverified address and where its link went", async () => {
    const user = await createUser();
    const { request, email } = await startAdd(user);

    const account = await getAccount(await reloadUser(user));

    expect(account.user).toMatchObject({ email, emailVerified: false });
    expect(account.emailRequest).toMatchObject({ id: request.id, kind: "add", step: "verify", sentTo: maskEmail(email) });
  });

  it("a change waiting for the old address: the account still shows the verified address", async () => {
    const user = await createVerifiedUser();
    const { email } = await startChange(user);

    const account = await getAccount(await reloadUser(user));

    expect(account.user).toMatchObject({ email: user.email, emailVerified: true });
    expect(account.emailRequest).toMatchObject({
      kind: "change",
      step: "change-old",
      currentHop: "old",
      newEmail: email,
      sentTo: maskEmail(user.email!),
    });
  });

  it("once the request completes, nothing is pending", async () => {
    const user = await createUser();
    const { link, email } = await startAdd(user);
    await confirmEmailLink({ token: link.token, meta: NO_META });

    expect(await getAccount(await reloadUser(user))).toMatchObject({ user: { email, emailVerified: true }, emailRequest: null });
  });
});

describe("getPendingRequest", () => {
  it("is the user's one pending request, or null", async () => {
    const user = await createUser();
    expect(await getPendingRequest(user.id)).toBeNull();

    await startAdd(user);
    const { request } = await startAdd(user);

    expect((await getPendingRequest(user.id))!.id).toBe(request.id);
    expect(await getPendingRequest((await createUser()).id)).toBeNull();
  });
});
