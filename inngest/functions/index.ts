import { emailRequestWorkflow } from "@/inngest/functions/email-request";
import { paymentNoticesFunction, paymentOccurrenceFunction, reconcilePaymentsFunction } from "@/inngest/functions/payment-occurrence";
import { purgeExpiredDataFunction } from "@/inngest/functions/purge-expired-data";
import { relayOutboxFunction } from "@/inngest/functions/relay-outbox";
import { resendEmailLinkFunction } from "@/inngest/functions/resend-email-link";
import { sendLockNoticeFunction } from "@/inngest/functions/send-lock-notice";

// Every function the app serves at /api/inngest.
export const functions = [
  emailRequestWorkflow,
  resendEmailLinkFunction,
  purgeExpiredDataFunction,
  sendLockNoticeFunction,
  relayOutboxFunction,
  paymentOccurrenceFunction,
  paymentNoticesFunction,
  reconcilePaymentsFunction,
];
