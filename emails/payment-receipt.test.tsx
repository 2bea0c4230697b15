import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import PaymentReceipt, { subject, type PaymentReceiptProps } from "./payment-receipt";
import { emailSubject, renderEmail } from "./render";
import {
  addressesIn,
  expectLinkOnlyWhereExpected,
  expectNoPreviewValues,
  expectReadableText,
  expectTypedTextShownAsText,
  hrefs,
} from "./test-utils";

const scheduleId = "sch_R3ce1pt7Lm";
const props: PaymentReceiptProps = {
  fullName: "Hari Prasad Adhikari",
  amount: "Rs. 2,450.50",
  recipientName: "Gita Rai",
  recipientPhone: "98******31",
  executedAt: "2 Dec 2026, 07:30 NPT",
  note: "School fees, term 2",
  nextRunAt: "2 Jan 2027, 07:30 NPT",
  scheduleUrl: `https://wallet.test/payments/${scheduleId}`,
};

describe("payment-receipt", async () => {
  const rendered = await renderEmail(<PaymentReceipt {...props} />);

  it("names the amount and the recipient in the subject, on one line whatever the name holds", () => {
    expect(subject(props)).toBe("You paid Rs. 2,450.50 to Gita Rai");
    expect(emailSubject("payment-receipt", props)).toBe(subject(props));
    expect(subject({ ...props, recipientName: "Gita\r\nBcc: x@example.org" })).toBe("You paid Rs. 2,450.50 to Gita Bcc: x@example.org");
  });

  it("says what was paid, to whom (phone masked), when, with which note, and the next payment, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Your scheduled payment was sent");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("Rs. 2,450.50");
      expect(part).toContain("Gita Rai (98******31)");
      expect(part).toContain("2 Dec 2026, 07:30 NPT");
      expect(part).toContain("School fees, term 2");
      expect(part).toContain("2 Jan 2027, 07:30 NPT");
    }
    expect(rendered.text).toContain(
      "Amount: Rs. 2,450.50\nTo: Gita Rai (98******31)\nSent at: 2 Dec 2026, 07:30 NPT\nNote: School fees, term 2\nNext payment: 2 Jan 2027, 07:30 NPT",
    );
    expect(rendered.text).toContain("The next payment will be sent at 2 Jan 2027, 07:30 NPT. There is nothing else to do.");
  });

  it("says when no payment is left on the schedule", async () => {
    const { html, text } = await renderEmail(<PaymentReceipt {...props} nextRunAt={null} />);
    expect(text).toContain("This was the last payment of this schedule: no more payments will be sent.");
    for (const part of [html, text]) expect(part).not.toMatch(/Next payment/);
  });

  it("links to the schedule once, as a button and as text", () => {
    expectLinkOnlyWhereExpected(rendered, props.scheduleUrl, scheduleId);
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([props.scheduleUrl, `mailto:${brand.supportEmail}`]));
  });

  it("leaves the note line out when there is no note, and shows a typed note as text", async () => {
    const { html, text } = await renderEmail(<PaymentReceipt {...props} note={null} />);
    for (const part of [html, text]) expect(part).not.toMatch(/\bNote\b/);
    const note = '</p><script>steal()</script><a href="https://evil.example">refund</a>';
    const hostile = await renderEmail(<PaymentReceipt {...props} note={note} />);
    expectTypedTextShownAsText(hostile, note);
    expect(hrefs(hostile.html)).not.toContain("https://evil.example");
  });

  it("names no address but support's, has a readable text part and only the given values", () => {
    for (const part of [rendered.html, rendered.text]) expect(new Set(addressesIn(part))).toEqual(new Set([brand.supportEmail]));
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, PaymentReceipt.PreviewProps, props);
  });
});
