import { Section, Text } from "@react-email/components";
import { Fragment } from "react";
import { colors } from "./brand";
import { Strong } from "./email-layout";

/** One fact of a payment: a label and its display value; rows without a value are left out. */
export type PaymentDetail = readonly [label: string, value: string | null];

/**
 * The facts of one payment as "Label: value" lines, so the text part reads the
 * same as the HTML one. Values are user data (names, notes) and stay as text:
 * React escapes them.
 */
export function PaymentDetails({ rows }: { rows: readonly PaymentDetail[] }) {
  const shown = rows.filter((row): row is readonly [string, string] => row[1] !== null);
  return (
    <Section
      style={{
        backgroundColor: colors.page,
        border: `1px solid ${colors.border}`,
        borderRadius: "8px",
        padding: "12px 14px",
        margin: "0 0 16px",
      }}
    >
      <Text style={{ fontSize: "16px", lineHeight: "26px", color: colors.text, margin: 0 }}>
        {shown.map(([label, value], index) => (
          <Fragment key={label}>
            {index > 0 && <br />}
            {label}: <Strong>{value}</Strong>
          </Fragment>
        ))}
      </Text>
    </Section>
  );
}

/** An amount stays on one line ("Rs." never apart from its number). */
export function Money({ children }: { children: string }) {
  return <strong style={{ fontWeight: 700, whiteSpace: "nowrap" }}>{children}</strong>;
}

/** A person as the reader knows them: the name and the masked phone number. */
export function person(name: string, maskedPhone: string): string {
  return `${name} (${maskedPhone})`;
}

/** Names are typed by people; a subject is one header line whatever they typed. */
export function subjectLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}
