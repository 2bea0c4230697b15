import { Button, Link, Text } from "@react-email/components";
import { colors } from "./brand";

interface ActionLinkProps {
  href: string;
  label: string;
}

/**
 * A full-width button (a large tap target) and the same link as text for
 * clients that block buttons. The text part gets only the raw link.
 */
export function ActionLink({ href, label }: ActionLinkProps) {
  return (
    <>
      <Button
        href={href}
        data-skip-in-text="true"
        style={{
          backgroundColor: colors.brand,
          color: "#ffffff",
          fontSize: "16px",
          fontWeight: 600,
          lineHeight: "24px",
          textAlign: "center",
          textDecoration: "none",
          borderRadius: "8px",
          padding: "12px 20px",
          display: "block",
          boxSizing: "border-box",
          width: "100%",
          margin: "8px 0 16px",
        }}
      >
        {label}
      </Button>
      <Text style={{ fontSize: "14px", lineHeight: "20px", color: colors.muted, margin: "0 0 16px" }}>
        If the button does not work, copy this link into your browser:
        <br />
        <Link href={href} style={{ color: colors.brand, textDecoration: "underline", wordBreak: "break-all" }}>
          {href}
        </Link>
      </Text>
    </>
  );
}
