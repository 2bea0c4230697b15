import { emailRequestWorkflow } from "@/inngest/functions/email-request";
import { resendEmailLinkFunction } from "@/inngest/functions/resend-email-link";

// Every function the app serves at /api/inngest.
export const functions = [emailRequestWorkflow, resendEmailLinkFunction];
