import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";
import { Money, PaymentDetails, person, subjectLine } from "./components/payment-details";

export interface PaymentReceivedProps {
  fullName: string;
  /** Display string, e.g. "Rs. 1,000.00". */
  amount: string;
  payerName: string;
  /** Already masked, e.g. "98******12". */
  payerPhone: string;
  /** Display string, e.g. "1 Dec 2026, 09:00 NPT". */
  receivedAt: string;
  /** Typed by the payer, not by the reader; shown as text. */
  note: string | null;
  walletUrl: string;
}

export const subject = ({ amount, payerName }: PaymentReceivedProps) => subjectLine(`You received ${amount} from ${payerName}`);

/** Sent to the recipient of a scheduled payment, when the money has arrived. */
export default function PaymentReceived({ fullName, amount, payerName, payerPhone, receivedAt, note, walletUrl }: PaymentReceivedProps) {
  return (
    <EmailLayout preview={`${payerName} sent you ${amount}`} heading="You received money">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        <Strong>{payerName}</Strong> sent you <Money>{amount}</Money> with a scheduled payment at <Strong>{receivedAt}</Strong>. The money
        is already in your wallet; there is nothing you need to do.
      </Paragraph>
      <PaymentDetails
        rows={[
          ["Amount", amount],
          ["From", person(payerName, payerPhone)],
          ["Received at", receivedAt],
          ["Note from the sender", note],
        ]}
      />
      <Paragraph>To see your balance and this payment in your history, open your wallet:</Paragraph>
      <ActionLink href={walletUrl} label="Open your wallet" />
      <Notice>
        {brand.name} never asks you to send money back or to share a code because of a payment you received. If someone does, it is likely a
        scam: contact support at {brand.supportEmail}.
      </Notice>
    </EmailLayout>
  );
}

PaymentReceived.PreviewProps = {
  fullName: "Internship Demo",
  amount: "Rs. 1,000.00",
  payerName: "Ram Bahadur Thapa",
  payerPhone: "98******12",
  receivedAt: "1 Dec 2026, 09:00 NPT",
  note: "Rent for December",
  walletUrl: "http://localhost:3000/wallet",
} satisfies PaymentReceivedProps;
