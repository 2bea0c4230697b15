import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";
import { Money, PaymentDetails, person, subjectLine } from "./components/payment-details";

export interface PaymentReceiptProps {
  fullName: string;
  /** Display string, e.g. "Rs. 1,000.00". */
  amount: string;
  recipientName: string;
  /** Already masked, e.g. "98******67". */
  recipientPhone: string;
  /** Display string, e.g. "1 Dec 2026, 09:00 NPT". */
  executedAt: string;
  /** Typed by the payer when scheduling; shown as text. */
  note: string | null;
  /** When the next payment of this schedule is due, or null when none is left. */
  nextRunAt: string | null;
  scheduleUrl: string;
}

export const subject = ({ amount, recipientName }: PaymentReceiptProps) => subjectLine(`You paid ${amount} to ${recipientName}`);

/** Sent to the payer after an occurrence of a scheduled payment succeeded. */
export default function PaymentReceipt({
  fullName,
  amount,
  recipientName,
  recipientPhone,
  executedAt,
  note,
  nextRunAt,
  scheduleUrl,
}: PaymentReceiptProps) {
  return (
    <EmailLayout preview={`${amount} was sent to ${recipientName} at ${executedAt}`} heading="Your scheduled payment was sent">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        Your scheduled payment of <Money>{amount}</Money> to <Strong>{recipientName}</Strong> was sent at <Strong>{executedAt}</Strong>. The
        money has left your wallet and is now in theirs.
      </Paragraph>
      <PaymentDetails
        rows={[
          ["Amount", amount],
          ["To", person(recipientName, recipientPhone)],
          ["Sent at", executedAt],
          ["Note", note],
          ["Next payment", nextRunAt],
        ]}
      />
      <Paragraph>
        {nextRunAt === null
          ? "This was the last payment of this schedule: no more payments will be sent. There is nothing else to do."
          : `The next payment will be sent at ${nextRunAt}. There is nothing else to do.`}
      </Paragraph>
      <ActionLink href={scheduleUrl} label="View scheduled payment" />
      <Notice>
        If you did not set up this payment, change your {brand.name} password and contact support immediately at {brand.supportEmail}.
      </Notice>
    </EmailLayout>
  );
}

PaymentReceipt.PreviewProps = {
  fullName: "Internship Demo",
  amount: "Rs. 1,000.00",
  recipientName: "Sita Sharma",
  recipientPhone: "98******67",
  executedAt: "1 Dec 2026, 09:00 NPT",
  note: "Rent for December",
  nextRunAt: "1 Jan 2027, 09:00 NPT",
  scheduleUrl: "http://localhost:3000/payments/preview-schedule",
} satisfies PaymentReceiptProps;
