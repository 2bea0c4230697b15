import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import PaymentFailed, { subject, type PaymentFailedProps } from "./payment-failed";
import { emailSubject, renderEmail } from "./render";
import { addressesIn, expectLinkOnlyWhereExpected, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const scheduleId = "sch_Fa1led4Kp";
const props: PaymentFailedProps = {
  fullName: "Hari Prasad Adhikari",
  amount: "Rs. 2,450.50",
  recipientName: "Gita Rai",
  recipientPhone: "98******31",
  dueAt: "2 Dec 2026, 07:30 NPT",
  outcome: "failed",
  reason: "Your balance was lower than the amount at each of the three attempts.",
  nextStep: "Add money to your wallet, then pay Gita Rai from the wallet page if this payment is still needed.",
  scheduleUrl: `https://wallet.test/payments/${scheduleId}`,
};

describe("payment-failed", async () => {
  const rendered = await renderEmail(<PaymentFailed {...props} />);

  it("names the amount, the recipient and the outcome in the subject", () => {
    expect(subject(props)).toBe("Your payment of Rs. 2,450.50 to Gita Rai did not go through");
    expect(subject({ ...props, outcome: "missed" })).toBe("Your payment of Rs. 2,450.50 to Gita Rai was missed");
    expect(emailSubject("payment-failed", props)).toBe(subject(props));
  });

  it("says what failed, to whom (phone masked), when it was due and why, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("A scheduled payment failed");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("Rs. 2,450.50");
      expect(part).toContain("Gita Rai (98******31)");
      expect(part).toContain("2 Dec 2026, 07:30 NPT");
      expect(part).toContain(props.reason);
      expect(part).toContain(props.nextStep);
    }
    expect(rendered.text).toContain(
      "Amount: Rs. 2,450.50\nTo: Gita Rai (98******31)\nWas due at: 2 Dec 2026, 07:30 NPT\nReason: Your balance was lower than the amount at each of the three attempts.",
    );
  });

  it("says what it means (no money moved) and what to do next", () => {
    expect(rendered.text).toContain("could not be sent. No money has left your wallet for it, and Gita Rai has not received it.");
    expect(rendered.text).toContain(`What to do next: ${props.nextStep}`);
  });

  it("words a missed payment as missed", async () => {
    const missed = await renderEmail(
      <PaymentFailed {...props} outcome="missed" reason="It could not be run within 24 hours of its time." nextStep="Pay now if needed." />,
    );
    for (const part of [missed.html, missed.text]) {
      expect(part).toContain("A scheduled payment was missed");
      expect(part).not.toContain("A scheduled payment failed");
    }
    expect(missed.text).toContain("was not sent. No money has left your wallet for it");
    expect(missed.text).toContain("Reason: It could not be run within 24 hours of its time.");
  });

  it("links to the schedule once, as a button and as text", () => {
    expectLinkOnlyWhereExpected(rendered, props.scheduleUrl, scheduleId);
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([props.scheduleUrl, `mailto:${brand.supportEmail}`]));
  });

  it("escapes the reason and the next step instead of injecting markup", async () => {
    const hostile = await renderEmail(<PaymentFailed {...props} reason="<i>low</i>" nextStep="<script>x()</script>" />);
    expect(hostile.html).not.toMatch(/<i>low|<script/);
    expect(hostile.html).toContain("&lt;i&gt;low");
  });

  it("names no address but support's, has a readable text part and only the given values", () => {
    for (const part of [rendered.html, rendered.text]) expect(new Set(addressesIn(part))).toEqual(new Set([brand.supportEmail]));
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, PaymentFailed.PreviewProps, props);
  });
});
