import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import PaymentReminder, { subject, type PaymentReminderProps } from "./payment-reminder";
import { emailSubject, renderEmail } from "./render";
import {
  addressesIn,
  expectLinkOnlyWhereExpected,
  expectNoPreviewValues,
  expectReadableText,
  expectTypedTextShownAsText,
  hrefs,
} from "./test-utils";

const scheduleId = "sch_R3m1nd9Qx";
const props: PaymentReminderProps = {
  fullName: "Hari Prasad Adhikari",
  amount: "Rs. 2,450.50",
  recipientName: "Gita Rai",
  recipientPhone: "98******31",
  dueAt: "2 Dec 2026, 07:30 NPT",
  note: "School fees, term 2",
  scheduleUrl: `https://wallet.test/payments/${scheduleId}`,
};

describe("payment-reminder", async () => {
  const rendered = await renderEmail(<PaymentReminder {...props} />);

  it("names the amount and the recipient in the subject", () => {
    expect(subject(props)).toBe("Upcoming payment: Rs. 2,450.50 to Gita Rai");
    expect(emailSubject("payment-reminder", props)).toBe(subject(props));
  });

  it("says what will be paid, to whom (phone masked), when and with which note, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("A scheduled payment is coming up");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("Rs. 2,450.50");
      expect(part).toContain("Gita Rai (98******31)");
      expect(part).toContain("2 Dec 2026, 07:30 NPT");
      expect(part).toContain("School fees, term 2");
    }
    expect(rendered.text).toContain("Dear Hari Prasad Adhikari,");
    expect(rendered.text).toContain(
      "Amount: Rs. 2,450.50\nTo: Gita Rai (98******31)\nWhen: 2 Dec 2026, 07:30 NPT\nNote: School fees, term 2",
    );
  });

  it("says what it means and what to do, and what to do if it was not them", () => {
    expect(rendered.text).toContain("will be sent automatically at 2 Dec 2026, 07:30 NPT");
    expect(rendered.text).toContain("Please keep at least Rs. 2,450.50 in your wallet by then.");
    expect(rendered.text).toMatch(/If you did not set up this payment, cancel it/);
  });

  it("links to the schedule once, as a button and as text", () => {
    expectLinkOnlyWhereExpected(rendered, props.scheduleUrl, scheduleId);
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([props.scheduleUrl, `mailto:${brand.supportEmail}`]));
  });

  it("leaves the note line out when there is no note", async () => {
    const { html, text } = await renderEmail(<PaymentReminder {...props} note={null} />);
    for (const part of [html, text]) expect(part).not.toMatch(/\bNote\b/);
    expect(text).toContain("When: 2 Dec 2026, 07:30 NPT");
  });

  it("shows a typed note as text, never as markup", async () => {
    const note = '<script>alert("paid")</script><b>urgent</b>';
    expectTypedTextShownAsText(await renderEmail(<PaymentReminder {...props} note={note} />), note);
  });

  it("names no address but support's, has a readable text part and only the given values", () => {
    for (const part of [rendered.html, rendered.text]) expect(new Set(addressesIn(part))).toEqual(new Set([brand.supportEmail]));
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, PaymentReminder.PreviewProps, props);
  });
});
