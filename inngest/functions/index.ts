import { emailRequestWorkflow } from "@/inngest/functions/email-request";
import { resendEmailLinkFunction } from "@/inngest/functions/resend-email-link";
import { sendLockNoticeFunction } from "@/inngest/functions/send-lock-notice";

// Every function the app serves at /api/inngest.
export const functions = [emailRequestWorkflow, resendEmailLinkFunction, sendLockNoticeFunction];
