import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph } from "./components/email-layout";

export interface PasswordChangedProps {
  fullName: string;
  /** Display string, e.g. "23 Nov 2026, 14:20 NPT". */
  changedAt: string;
}

export const subject = `Your ${brand.name} password was changed`;

/** Sent to the verified address after a password change: the owner hears of it even if someone else did it. */
export default function PasswordChanged({ fullName, changedAt }: PasswordChangedProps) {
  return (
    <EmailLayout preview={`The password of your ${brand.name} account was changed`} heading="Your password was changed">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        The password of your {brand.name} account was changed at {changedAt}. Every other device signed in to your account has been signed
        out.
      </Paragraph>
      <Notice>
        If it was not you, contact {brand.name} support immediately at {brand.supportEmail}: someone may know your password.
      </Notice>
    </EmailLayout>
  );
}

PasswordChanged.PreviewProps = {
  fullName: "Internship Demo",
  changedAt: "23 Nov 2026, 14:20 NPT",
} satisfies PasswordChangedProps;
