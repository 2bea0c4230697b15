import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";
import { Money, PaymentDetails, person, subjectLine } from "./components/payment-details";

export interface PaymentFailedProps {
  fullName: string;
  /** Display string, e.g. "Rs. 1,000.00". */
  amount: string;
  recipientName: string;
  /** Already masked, e.g. "98******67". */
  recipientPhone: string;
  /** Display string, e.g. "1 Dec 2026, 09:00 NPT". */
  dueAt: string;
  /** "failed": tried and refused (retries done); "missed": not run within 24 hours of its time. */
  outcome: "failed" | "missed";
  /** Why, as a sentence for the payer, e.g. "Your wallet balance was too low." */
  reason: string;
  /** What the payer can do now, as a sentence. */
  nextStep: string;
  scheduleUrl: string;
}

const wording = {
  failed: { subject: "did not go through", heading: "A scheduled payment failed", what: "could not be sent" },
  missed: { subject: "was missed", heading: "A scheduled payment was missed", what: "was not sent" },
} as const;

export const subject = ({ amount, recipientName, outcome }: PaymentFailedProps) =>
  subjectLine(`Your payment of ${amount} to ${recipientName} ${wording[outcome].subject}`);

/** Sent to the payer when an occurrence failed for good or was missed; the schedule itself goes on. */
export default function PaymentFailed({
  fullName,
  amount,
  recipientName,
  recipientPhone,
  dueAt,
  outcome,
  reason,
  nextStep,
  scheduleUrl,
}: PaymentFailedProps) {
  const { heading, what } = wording[outcome];
  return (
    <EmailLayout preview={`${amount} to ${recipientName} ${what}. No money left your wallet.`} heading={heading}>
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        Your scheduled payment of <Money>{amount}</Money> to <Strong>{recipientName}</Strong>, due at <Strong>{dueAt}</Strong>, {what}. No
        money has left your wallet for it, and {recipientName} has not received it.
      </Paragraph>
      <PaymentDetails
        rows={[
          ["Amount", amount],
          ["To", person(recipientName, recipientPhone)],
          ["Was due at", dueAt],
          ["Reason", reason],
        ]}
      />
      <Paragraph>
        <Strong>What to do next:</Strong> {nextStep}
      </Paragraph>
      <ActionLink href={scheduleUrl} label="View scheduled payment" />
      <Notice>If you did not set up this payment, cancel it from the link above and contact support at {brand.supportEmail}.</Notice>
    </EmailLayout>
  );
}

PaymentFailed.PreviewProps = {
  fullName: "Internship Demo",
  amount: "Rs. 1,000.00",
  recipientName: "Sita Sharma",
  recipientPhone: "98******67",
  dueAt: "1 Dec 2026, 09:00 NPT",
  outcome: "failed",
  reason: "Your wallet balance was too low, also when we tried again 1 hour and 6 hours later.",
  nextStep: "Top up your wallet and pay Sita Sharma now if the payment is still needed. Your next scheduled payments are not affected.",
  scheduleUrl: "http://localhost:3000/payments/preview-schedule",
} satisfies PaymentFailedProps;
