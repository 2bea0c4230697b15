import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";
import { Money, PaymentDetails, person, subjectLine } from "./components/payment-details";

export interface PaymentReminderProps {
  fullName: string;
  /** Display string, e.g. "Rs. 1,000.00". */
  amount: string;
  recipientName: string;
  /** Already masked, e.g. "98******67". */
  recipientPhone: string;
  /** Display string, e.g. "1 Dec 2026, 09:00 NPT". */
  dueAt: string;
  /** Typed by the payer when scheduling; shown as text. */
  note: string | null;
  /** The schedule's page, where it can be changed, skipped or cancelled. */
  scheduleUrl: string;
}

export const subject = ({ amount, recipientName }: PaymentReminderProps) => subjectLine(`Upcoming payment: ${amount} to ${recipientName}`);

/** Sent 24 hours before each occurrence of a scheduled payment, while reminders are on. */
export default function PaymentReminder({
  fullName,
  amount,
  recipientName,
  recipientPhone,
  dueAt,
  note,
  scheduleUrl,
}: PaymentReminderProps) {
  return (
    <EmailLayout preview={`${amount} to ${recipientName} will be sent at ${dueAt}`} heading="A scheduled payment is coming up">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        Your scheduled payment of <Money>{amount}</Money> to <Strong>{recipientName}</Strong> will be sent automatically at{" "}
        <Strong>{dueAt}</Strong>.
      </Paragraph>
      <PaymentDetails
        rows={[
          ["Amount", amount],
          ["To", person(recipientName, recipientPhone)],
          ["When", dueAt],
          ["Note", note],
        ]}
      />
      <Paragraph>
        Please keep at least {amount} in your wallet by then. If the balance is too low at that time, the payment will not go through.
      </Paragraph>
      <Paragraph>
        If this is right, there is nothing to do. To change the amount or the date, skip this payment or cancel it, open the schedule:
      </Paragraph>
      <ActionLink href={scheduleUrl} label="View scheduled payment" />
      <Notice>
        If you did not set up this payment, cancel it from the link above, change your {brand.name} password and contact support at{" "}
        {brand.supportEmail}.
      </Notice>
    </EmailLayout>
  );
}

PaymentReminder.PreviewProps = {
  fullName: "Internship Demo",
  amount: "Rs. 1,000.00",
  recipientName: "Sita Sharma",
  recipientPhone: "98******67",
  dueAt: "1 Dec 2026, 09:00 NPT",
  note: "Rent for December",
  scheduleUrl: "http://localhost:3000/payments/preview-schedule",
} satisfies PaymentReminderProps;
