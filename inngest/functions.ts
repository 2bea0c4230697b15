import { emailRequestWorkflow } from "@/inngest/email-request-workflow";
import { resendEmailLinkFunction } from "@/inngest/resend-email-link";

// Every function the app serves at /api/inngest.
export const functions = [emailRequestWorkflow, resendEmailLinkFunction];
