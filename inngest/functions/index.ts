import { emailRequestWorkflow } from "@/inngest/functions/email-request";
import { purgeExpiredDataFunction } from "@/inngest/functions/purge-expired-data";
import { resendEmailLinkFunction } from "@/inngest/functions/resend-email-link";

// Every function the app serves at /api/inngest.
export const functions = [emailRequestWorkflow, resendEmailLinkFunction, purgeExpiredDataFunction];
