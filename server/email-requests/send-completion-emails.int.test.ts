import { describe, expect, it } from "vitest";
import { subject as changedSubject } from "@/emails/email-changed";
import { subject as linkedSubject } from "@/emails/email-linked";
import { maskEmail } from "@/lib/email-address";
import { displayPhone } from "@/lib/phone";
import { sendCompletionEmail } from "@/server/email-requests/send-completion-emails";
import { env } from "@/server/env";
import { createUser, createVerifiedUser } from "@/tests/support/factories";
import { confirmAsOwner, sendLink, startAdd, startChange } from "@/tests/support/flows";
import { emailsTo } from "@/tests/support/mailbox";

const confirm = (token: string) => confirmAsOwner(token);

/** A change applied end to end; returns the request and both addresses. */
async function completedChange() {
  const user = await createVerifiedUser();
  const { request, email, link } = await startChange(user);
  await confirm(link.token);
  await confirm((await sendLink(request.id)).token);
  return { user, request, oldEmail: user.email!, newEmail: email };
}

describe("sendCompletionEmail", () => {
  it('"linked" after an add: tells the verified address it is linked to the account', async () => {
    const user = await createUser({ fullName: "Ram Thapa" });
    const { request, email, link } = await startAdd(user);
    await confirm(link.token);

    await sendCompletionEmail({ requestId: request.id, email: "linked" });

    const [newest, ...earlier] = await emailsTo(email);
    expect(earlier).toHaveLength(1); // the link
    expect(newest).toMatchObject({ to: [email], subject: linkedSubject });
    expect(newest!.text).toContain("Ram Thapa");
    expect(newest!.text).toContain(displayPhone(user.phone));
    expect(newest!.text).toContain(env.APP_URL);
  });

  it('"linked" after a change goes to the new address; "changed-notice" warns the old one with the new address masked', async () => {
    const { request, oldEmail, newEmail } = await completedChange();

    await sendCompletionEmail({ requestId: request.id, email: "changed-notice" });
    await sendCompletionEmail({ requestId: request.id, email: "linked" });

    const [notice] = await emailsTo(oldEmail);
    expect(notice).toMatchObject({ to: [oldEmail], subject: changedSubject });
    expect(notice!.text).toContain(maskEmail(newEmail));
    expect(notice!.text + notice!.html).not.toContain(newEmail);
    expect(notice!.text).toMatch(/NPT/); // when, in Nepal time
    const [linked] = await emailsTo(newEmail);
    expect(linked).toMatchObject({ to: [newEmail], subject: linkedSubject });
  });

  it('"changed-notice" of an add (no old address) sends nothing', async () => {
    const user = await createUser();
    const { request, email, link } = await startAdd(user);
    await confirm(link.token);
    const before = (await emailsTo(email)).length;

    await sendCompletionEmail({ requestId: request.id, email: "changed-notice" });

    expect(await emailsTo(email)).toHaveLength(before);
  });

  it("refuses to send for a request that did not complete (the workflow step then fails and retries)", async () => {
    const user = await createUser();
    const { request, email } = await startAdd(user);

    await expect(sendCompletionEmail({ requestId: request.id, email: "linked" })).rejects.toThrow(/is pending, not completed/);
    expect(await emailsTo(email)).toHaveLength(1); // only the link
  });
});
