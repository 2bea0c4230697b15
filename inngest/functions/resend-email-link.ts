import { inngest } from "@/server/inngest";
import { emailLinkResendRequested } from "@/lib/events";
import { sendEmailLink } from "@/server/email-requests/send-email-link";

// UC07/UC06: a fresh link for the current hop. The request's own workflow
// keeps waiting; it re-reads the request when it wakes, so the new link's
// later expiry is honoured there.
export const resendEmailLinkFunction = inngest.createFunction(
  { id: "resend-email-link", name: "Resend email link", triggers: [emailLinkResendRequested], retries: 6 },
  async ({ event, step }) => {
    return step.run("send fresh link", () => sendEmailLink({ requestId: event.data.requestId }));
  },
);
