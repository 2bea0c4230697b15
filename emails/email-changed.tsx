import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";

export interface EmailChangedProps {
  fullName: string;
  /** The address now on the account, already masked (e.g. "n***@example.com"). */
  newEmailMasked: string;
  /** Display string, e.g. "23 Nov 2026, 14:20 NPT". */
  changedAt: string;
}

export const subject = `Your ${brand.name} email was changed`;

/** Sent to the OLD address after a change is applied (UC04), as a warning channel. */
export default function EmailChanged({ fullName, newEmailMasked, changedAt }: EmailChangedProps) {
  return (
    <EmailLayout preview={`The email on your ${brand.name} account is now ${newEmailMasked}`} heading="Your email was changed">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        The email address on your {brand.name} account was changed to <Strong>{newEmailMasked}</Strong> at {changedAt}. This address is no
        longer linked to your account.
      </Paragraph>
      <Notice>
        If it was not you, contact {brand.name} support immediately at {brand.supportEmail} and change your password.
      </Notice>
    </EmailLayout>
  );
}

EmailChanged.PreviewProps = {
  fullName: "Internship Demo",
  newEmailMasked: "n***@example.com",
  changedAt: "23 Nov 2026, 14:20 NPT",
} satisfies EmailChangedProps;
