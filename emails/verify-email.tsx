import { ActionLink } from "./components/action-link";
import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";

export interface VerifyEmailProps {
  /** The address being verified (this email's recipient). */
  email: string;
  /** The finished one-time link, token included. */
  confirmUrl: string;
  /** Display string, e.g. "23 Nov 2026, 14:05 NPT". */
  expiresAt: string;
}

export const subject = "Confirm your email address";

/** Sent for signup and for adding a first email (UC02, UC03). */
export default function VerifyEmail({ email, confirmUrl, expiresAt }: VerifyEmailProps) {
  return (
    <EmailLayout preview={`Confirm ${email} to link it to your ${brand.name} account`} heading="Confirm your email address">
      {/* No name here: it is typed by whoever asked, and this address is not verified yet (issue 10, item 6). */}
      <Paragraph>Hello,</Paragraph>
      <Paragraph>
        Confirm that <Strong>{email}</Strong> is your email address to link it to your {brand.name} account.
      </Paragraph>
      <ActionLink href={confirmUrl} label="Confirm email address" />
      <Paragraph>This link expires at {expiresAt} and works only once.</Paragraph>
      <Notice>If you did not ask for this, ignore this email; the address will not be linked.</Notice>
    </EmailLayout>
  );
}

VerifyEmail.PreviewProps = {
  email: "intern@anukul.com.np",
  confirmUrl: "http://localhost:3000/email/confirm?token=preview-token-not-real",
  expiresAt: "23 Nov 2026, 14:05 NPT",
} satisfies VerifyEmailProps;
