import "server-only";
import { displayPhone } from "@/server/accounts/phone";
import { db } from "@/server/db";
import { maskEmail } from "@/server/email/address";
import { env } from "@/server/env";
import { formatEmailTime, sendEmail } from "@/server/mailer";

async function completedRequest(requestId: string) {
  const request = await db.emailRequest.findUniqueOrThrow({ where: { id: requestId }, include: { user: true } });
  if (request.status !== "completed") throw new Error(`request ${requestId} is ${request.status}, not completed`);
  return request;
}

/** "Verified and linked to your account" (seed appendix), to the newly verified address. */
export async function sendLinkedEmail(options: { requestId: string }) {
  const { user, newEmail } = await completedRequest(options.requestId);
  await sendEmail({
    to: newEmail,
    template: "email-linked",
    props: { fullName: user.fullName, email: newEmail, phone: displayPhone(user.phone), appUrl: env.APP_URL },
  });
}

/** "Your email was changed", to the address that was replaced. */
export async function sendEmailChangedNotice(options: { requestId: string }) {
  const { user, oldEmail, newEmail, closedAt } = await completedRequest(options.requestId);
  if (!oldEmail) return;
  await sendEmail({
    to: oldEmail,
    template: "email-changed",
    props: { fullName: user.fullName, newEmailMasked: maskEmail(newEmail), changedAt: formatEmailTime(closedAt ?? new Date()) },
  });
}
