import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";

export interface ConfirmChangeOldProps {
  fullName: string;
  /** The requested new address, already masked (e.g. "n***@example.com"). */
  newEmailMasked: string;
  /** The finished one-time link, token included. */
  confirmUrl: string;
  /** Display string, e.g. "23 Nov 2026, 14:05 NPT". */
  expiresAt: string;
}

export const subject = "Confirm you want to change your email";

/**
 * Hop 1 of a change (UC04), sent to the OLD address. The new address is shown
 * masked only: this mailbox may not be the person who asked for the change.
 */
export default function ConfirmChangeOld({ fullName, newEmailMasked, confirmUrl, expiresAt }: ConfirmChangeOldProps) {
  return (
    <EmailLayout
      preview={`Step 1 of 2: confirm changing your ${brand.name} email to ${newEmailMasked}`}
      heading="Confirm you want to change your email"
    >
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        We received a request to change the email address on your {brand.name} account to <Strong>{newEmailMasked}</Strong>.
      </Paragraph>
      <Paragraph>
        Step 1 of 2: confirm from this address. Then we will send a last link to the new address. Your email stays the same until both steps
        are done.
      </Paragraph>
      <ActionLink href={confirmUrl} label="Confirm the change" />
      <Paragraph>This link expires at {expiresAt} and works only once.</Paragraph>
      <Notice>
        Not you? Do not click the link; your email will not change. Change your {brand.name} password now and contact support at{" "}
        {brand.supportEmail}.
      </Notice>
    </EmailLayout>
  );
}

ConfirmChangeOld.PreviewProps = {
  fullName: "Internship Demo",
  newEmailMasked: "n***@example.com",
  confirmUrl: "http://localhost:3000/email/confirm?token=preview-token-not-real",
  expiresAt: "23 Nov 2026, 14:05 NPT",
} satisfies ConfirmChangeOldProps;
