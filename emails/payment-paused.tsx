import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";
import { Money, PaymentDetails, subjectLine } from "./components/payment-details";

export interface PaymentPausedProps {
  fullName: string;
  /** Display string, e.g. "Rs. 1,000.00". */
  amount: string;
  recipientName: string;
  /** How many occurrences in a row failed (3 by the payment rules). */
  failures: number;
  scheduleUrl: string;
}

export const subject = ({ recipientName }: PaymentPausedProps) => subjectLine(`Your scheduled payment to ${recipientName} is paused`);

/** Sent to the payer when a recurring payment was paused after failing several times in a row. */
export default function PaymentPaused({ fullName, amount, recipientName, failures, scheduleUrl }: PaymentPausedProps) {
  const times = failures === 1 ? "once" : `${failures} times in a row`;
  return (
    <EmailLayout
      preview={`Payments of ${amount} to ${recipientName} are on hold until you resume them`}
      heading="Your scheduled payment is paused"
    >
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        Your recurring payment of <Money>{amount}</Money> to <Strong>{recipientName}</Strong> failed {times}, so we paused it.
      </Paragraph>
      <PaymentDetails
        rows={[
          ["Amount", amount],
          ["To", recipientName],
          ["Failed", times],
          ["Status", "Paused"],
        ]}
      />
      <Paragraph>
        While it is paused, no payments to {recipientName} will be sent and no money will leave your wallet for it. Nothing is lost: the
        schedule is kept as it is.
      </Paragraph>
      <Paragraph>
        <Strong>What to do next:</Strong> open the schedule to see why the payments failed (often the wallet balance was too low), fix it,
        then resume the schedule. If you no longer need it, cancel it there.
      </Paragraph>
      <ActionLink href={scheduleUrl} label="Review scheduled payment" />
      <Notice>If you did not set up this payment, cancel it from the link above and contact support at {brand.supportEmail}.</Notice>
    </EmailLayout>
  );
}

PaymentPaused.PreviewProps = {
  fullName: "Internship Demo",
  amount: "Rs. 1,000.00",
  recipientName: "Sita Sharma",
  failures: 3,
  scheduleUrl: "http://localhost:3000/payments/preview-schedule",
} satisfies PaymentPausedProps;
