import "server-only";
import { maskEmail } from "@/lib/email-address";
import { displayPhone } from "@/lib/phone";
import { db } from "@/server/db";
import type { EmailRequestPolicy } from "@/server/email-requests/policy";
import { env } from "@/server/env";
import { formatEmailTime, sendEmail } from "@/server/mailer";

type CompletionEmail = EmailRequestPolicy["completionEmails"][number]["email"];

/**
 * One of the emails a completed request sends (its policy lists which):
 *  - "linked": "verified and linked to your account", to the newly verified address;
 *  - "changed-notice": "your email was changed", to the address that was replaced.
 */
export async function sendCompletionEmail(options: { requestId: string; email: CompletionEmail }): Promise<void> {
  const request = await db.emailRequest.findUniqueOrThrow({ where: { id: options.requestId }, include: { user: true } });
  if (request.status !== "completed") throw new Error(`request ${request.id} is ${request.status}, not completed`);
  const { user, oldEmail, newEmail, closedAt } = request;
  switch (options.email) {
    case "linked":
      return sendEmail({
        to: newEmail,
        template: "email-linked",
        props: { fullName: user.fullName, email: newEmail, phone: displayPhone(user.phone), appUrl: env.APP_URL },
      });
    case "changed-notice":
      if (!oldEmail) return;
      return sendEmail({
        to: oldEmail,
        template: "email-changed",
        props: { fullName: user.fullName, newEmailMasked: maskEmail(newEmail), changedAt: formatEmailTime(closedAt ?? new Date()) },
      });
  }
}
