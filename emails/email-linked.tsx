import { Link } from "@react-email/components";
import { brand, colors } from "./components/brand";
import { EmailLayout, Paragraph, Strong } from "./components/email-layout";

export interface EmailLinkedProps {
  fullName: string;
  /** The newly verified address (this email's recipient). */
  email: string;
  /** Display form of the account's phone number, e.g. "9810578899". */
  phone: string;
  /** The app's public URL, e.g. "https://wallet.example". */
  appUrl: string;
}

export const subject = `Your email is verified and linked to your ${brand.name} account`;

/** The "verified and linked to your account" email of the seed's appendix. */
export default function EmailLinked({ fullName, email, phone, appUrl }: EmailLinkedProps) {
  return (
    <EmailLayout preview={`${email} is now linked to your ${brand.name} account`} heading="Your email is verified">
      <Paragraph>Dear {fullName},</Paragraph>
      <Paragraph>
        This email (<Strong>{email}</Strong>) has been verified and linked to your {brand.name} account (<Strong>{phone}</Strong>) at{" "}
        <Link href={appUrl} style={{ color: colors.brand, textDecoration: "underline", wordBreak: "break-all" }}>
          {appUrl}
        </Link>
      </Paragraph>
      <Paragraph>Thank you</Paragraph>
      <Paragraph>
        Regards,
        <br />
        {brand.name}
      </Paragraph>
    </EmailLayout>
  );
}

EmailLinked.PreviewProps = {
  fullName: "Internship Demo",
  email: "intern@anukul.com.np",
  phone: "9810578899",
  appUrl: "http://localhost:3000",
} satisfies EmailLinkedProps;
