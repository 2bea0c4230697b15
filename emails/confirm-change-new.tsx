import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";

export interface ConfirmChangeNewProps {
  /** The new address being verified (this email's recipient). */
  email: string;
  /** The finished one-time link, token included. */
  confirmUrl: string;
  /** Display string, e.g. "23 Nov 2026, 14:05 NPT". */
  expiresAt: string;
}

export const subject = "Confirm your new email address";

/** Hop 2 of a change (UC04), sent to the NEW address once the old one confirmed. */
export default function ConfirmChangeNew({ email, confirmUrl, expiresAt }: ConfirmChangeNewProps) {
  return (
    <EmailLayout preview={`Last step: confirm ${email} for your ${brand.name} account`} heading="Confirm your new email address">
      {/* No name here: it is typed by whoever asked, and this address is not verified yet (issue 10, item 6). */}
      <Paragraph>Hello,</Paragraph>
      <Paragraph>
        Your current email address has approved the change. One last step: confirm that <Strong>{email}</Strong> is your new email address
        for your {brand.name} account.
      </Paragraph>
      <ActionLink href={confirmUrl} label="Confirm new email address" />
      <Paragraph>This link expires at {expiresAt} and works only once.</Paragraph>
      <Notice>If you did not ask for this, ignore this email; the address will not be linked.</Notice>
    </EmailLayout>
  );
}

ConfirmChangeNew.PreviewProps = {
  email: "new.intern@example.com",
  confirmUrl: "http://localhost:3000/email/confirm?token=preview-token-not-real",
  expiresAt: "23 Nov 2026, 15:10 NPT",
} satisfies ConfirmChangeNewProps;
