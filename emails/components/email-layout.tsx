import { Body, Container, Head, Heading, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { brand, colors, fontFamily } from "./brand";

interface EmailLayoutProps {
  /** The inbox preview line (hidden in the body and skipped in the text part). */
  preview: string;
  heading: string;
  children: ReactNode;
}

/** One narrow column (max 480px) that reads well on a phone and in old clients. */
export function EmailLayout({ preview, heading, children }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
        <title>{heading}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: colors.page, margin: 0, padding: "24px 0", fontFamily }}>
        <Container style={{ maxWidth: "480px", width: "100%", margin: "0 auto", padding: "0 12px" }}>
          <Text style={{ fontSize: "20px", lineHeight: "28px", fontWeight: 700, color: colors.brand, margin: "0 0 12px" }}>
            {brand.name}
          </Text>
          <Section
            style={{
              backgroundColor: colors.card,
              border: `1px solid ${colors.border}`,
              borderRadius: "8px",
              padding: "24px 20px",
            }}
          >
            <Heading as="h1" style={{ fontSize: "22px", lineHeight: "30px", color: colors.text, margin: "0 0 16px" }}>
              {heading}
            </Heading>
            {children}
          </Section>
          <Footer />
        </Container>
      </Body>
    </Html>
  );
}

function Footer() {
  return (
    <Section style={{ padding: "16px 4px 0" }}>
      <Text style={{ fontSize: "14px", lineHeight: "20px", color: colors.muted, margin: "0 0 8px" }}>
        Need help? Contact {brand.name} support at{" "}
        <Link href={`mailto:${brand.supportEmail}`} style={{ color: colors.brand, textDecoration: "underline" }}>
          {brand.supportEmail}
        </Link>{" "}
        or from Help &amp; Support in the {brand.name} app.
      </Text>
      <Text style={{ fontSize: "14px", lineHeight: "20px", color: colors.muted, margin: 0 }}>
        {brand.name} will never ask for your password or one-time codes by email.
      </Text>
    </Section>
  );
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={{ fontSize: "16px", lineHeight: "24px", color: colors.text, margin: "0 0 16px" }}>{children}</Text>;
}

/** A highlighted block for "if this was not you" advice. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <Section
      style={{
        backgroundColor: colors.noticeBackground,
        borderLeft: `4px solid ${colors.noticeBorder}`,
        borderRadius: "4px",
        padding: "12px 14px",
        margin: "8px 0 0",
      }}
    >
      <Text style={{ fontSize: "15px", lineHeight: "22px", color: colors.noticeText, margin: 0 }}>{children}</Text>
    </Section>
  );
}

/** Values the reader must recognise (addresses, phone numbers) stand out. */
export function Strong({ children }: { children: ReactNode }) {
  return <strong style={{ fontWeight: 700, wordBreak: "break-word" }}>{children}</strong>;
}
