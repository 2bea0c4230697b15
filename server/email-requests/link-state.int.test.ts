import { describe, expect, it } from "vitest";
import { maskEmail } from "@/lib/email-address";
import { NO_META } from "@/server/audit";
import { db } from "@/server/db";
import { cancelEmailRequest } from "@/server/email-requests/cancel-email-request";
import { createRequest } from "@/server/email-requests/create-request";
import { findLink, getLinkState } from "@/server/email-requests/link-state";
import { newLinkToken } from "@/server/email-requests/tokens";
import { createUser, createVerifiedUser, linksOf, requestRow, uniqueEmail } from "@/tests/support/factories";
import { confirmAsOwner, sendLink, startAdd, startChange } from "@/tests/support/flows";

const stateOfToken = async (token: unknown) => (await getLinkState(token)).state;

describe("getLinkState", () => {
  it("valid add link: what confirming does, where it went and the new address (masked), and when it expires", async () => {
    const user = await createUser();
    const { email, link } = await startAdd(user);
    const [row] = await linksOf((await findLink(link.token))!.requestId);

    expect(await getLinkState(link.token)).toEqual({
      state: "valid",
      step: "verify",
      sentTo: maskEmail(email),
      newEmail: maskEmail(email),
      expiresAt: row!.expiresAt.toISOString(),
      needsOwnerSession: false,
      signedInAsOwner: false,
      signedIn: false,
    });
  });

  it("an old-address link says it needs the owner's session, and whether the one looking is the owner", async () => {
    const user = await createVerifiedUser();
    const stranger = await createUser();
    const { link } = await startChange(user);

    expect(await getLinkState(link.token)).toMatchObject({ needsOwnerSession: true, signedInAsOwner: false, signedIn: false });
    expect(await getLinkState(link.token, stranger.id)).toMatchObject({ signedInAsOwner: false, signedIn: true });
    expect(await getLinkState(link.token, user.id)).toMatchObject({ signedInAsOwner: true, signedIn: true });
  });

  it("change links: step 1 went to the old address, step 2 to the new one", async () => {
    const user = await createVerifiedUser();
    const { request, email, link } = await startChange(user);
    expect(await getLinkState(link.token)).toMatchObject({
      state: "valid",
      step: "change-old",
      sentTo: maskEmail(user.email!),
      newEmail: maskEmail(email),
    });

    await confirmAsOwner(link.token);
    const newHop = await sendLink(request.id);

    expect(await getLinkState(newHop.token)).toMatchObject({ state: "valid", step: "change-new", sentTo: maskEmail(email) });
    expect(await stateOfToken(link.token)).toBe("used");
  });

  it("opening a link changes nothing (mail scanners prefetch links)", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);
    const before = { request: await requestRow(request.id), links: await linksOf(request.id) };

    for (let i = 0; i < 3; i++) await getLinkState(link.token);

    expect({ request: await requestRow(request.id), links: await linksOf(request.id) }).toEqual(before);
    await expect(confirmAsOwner(link.token)).resolves.toMatchObject({ outcome: "verified" });
  });

  it("used, expired, superseded (by a resend or a newer request), cancelled", async () => {
    const used = await startAdd(await createUser());
    await confirmAsOwner(used.link.token);
    expect(await stateOfToken(used.link.token)).toBe("used");

    const expired = await startAdd(await createUser());
    await db.$executeRaw`UPDATE email_links SET expires_at = now() - interval '1 second' WHERE id = ${expired.link.linkId}::uuid`;
    expect(await stateOfToken(expired.link.token)).toBe("expired");

    const resent = await startAdd(await createUser());
    await sendLink(resent.request.id);
    expect(await stateOfToken(resent.link.token)).toBe("superseded");

    const replacedUser = await createUser();
    const replaced = await startAdd(replacedUser);
    await createRequest({ userId: replacedUser.id, addressCheck: "answer-taken", email: uniqueEmail(), meta: NO_META });
    expect(await stateOfToken(replaced.link.token)).toBe("superseded");

    const cancelledUser = await createUser();
    const cancelled = await startAdd(cancelledUser);
    await cancelEmailRequest({ userId: cancelledUser.id, meta: NO_META });
    expect(await stateOfToken(cancelled.link.token)).toBe("cancelled");
  });

  it.each([
    ["malformed", "abc"],
    ["not a string", { token: "x" }],
    ["unknown", newLinkToken().token],
  ])("invalid: a %s token, with nothing else revealed", async (_name, token) => {
    expect(await getLinkState(token)).toEqual({ state: "invalid" });
  });
});

describe("findLink", () => {
  it("finds a link with its request by the token, and nothing for anything else", async () => {
    const user = await createUser();
    const { request, link } = await startAdd(user);

    expect(await findLink(link.token)).toMatchObject({
      id: link.linkId,
      requestId: request.id,
      request: { id: request.id, userId: user.id },
    });
    expect(await findLink(newLinkToken().token)).toBeNull();
    expect(await findLink(`${link.token}x`)).toBeNull();
  });
});
