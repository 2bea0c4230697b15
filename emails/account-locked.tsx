import { brand } from "./components/brand";
import { EmailLayout, Notice, Paragraph, Strong } from "./components/email-layout";

export interface AccountLockedProps {
  fullName: string;
  /** Display string, e.g. "23 Nov 2026, 14:20 NPT". */
  lockedUntil: string;
  /** Who cannot sign in: browsers new to the account, the ones that signed in before, or everyone. */
  scope: "strangers" | "devices" | "everyone";
}

export const subject = `Your ${brand.name} account was locked after wrong passwords`;

const who: Record<AccountLockedProps["scope"], string> = {
  strangers:
    "on phones and browsers that have not signed in to your account before. Where you have signed in before, you can still sign in as usual.",
  devices: "on the phones and browsers where you have signed in before.",
  everyone: "everywhere, your own phones and browsers included, because of many wrong passwords from different places.",
};

/** Sent to the verified address when repeated wrong passwords lock the account (UC05). */
export default function AccountLocked({ fullName, lockedUntil, scope }: AccountLockedProps) {
  return (
    <EmailLayout preview={`Sign-in to your ${brand.name} account is paused until ${lockedUntil}`} heading="Your account was locked">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        Someone entered the wrong password for your {brand.name} account several times, so signing in is paused until{" "}
        <Strong>{lockedUntil}</Strong> {who[scope]}
      </Paragraph>
      <Notice>
        If these attempts were not yours, someone may be trying to guess your password. Use a password you use nowhere else, and contact{" "}
        {brand.name} support at {brand.supportEmail}.
      </Notice>
    </EmailLayout>
  );
}

AccountLocked.PreviewProps = {
  fullName: "Internship Demo",
  lockedUntil: "23 Nov 2026, 14:20 NPT",
  scope: "strangers",
} satisfies AccountLockedProps;
