import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import PaymentPaused, { subject, type PaymentPausedProps } from "./payment-paused";
import { emailSubject, renderEmail } from "./render";
import { addressesIn, expectLinkOnlyWhereExpected, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const scheduleId = "sch_Pau5ed2Wz";
const props: PaymentPausedProps = {
  fullName: "Hari Prasad Adhikari",
  amount: "Rs. 2,450.50",
  recipientName: "Gita Rai",
  failures: 3,
  scheduleUrl: `https://wallet.test/payments/${scheduleId}`,
};

describe("payment-paused", async () => {
  const rendered = await renderEmail(<PaymentPaused {...props} />);

  it("names the recipient in the subject", () => {
    expect(subject(props)).toBe("Your scheduled payment to Gita Rai is paused");
    expect(emailSubject("payment-paused", props)).toBe(subject(props));
  });

  it("says what was paused and after how many failures, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Your scheduled payment is paused");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("Rs. 2,450.50");
      expect(part).toContain("Gita Rai");
      expect(part).toContain("3 times in a row");
    }
    expect(rendered.text).toContain("Amount: Rs. 2,450.50\nTo: Gita Rai\nFailed: 3 times in a row\nStatus: Paused");
  });

  it("says what it means and what to do next", () => {
    expect(rendered.text).toContain("While it is paused, no payments to Gita Rai will be sent");
    expect(rendered.text).toMatch(/What to do next: open the schedule to see why the payments failed .* then resume the schedule/);
  });

  it("counts the failures it is given", async () => {
    const { text } = await renderEmail(<PaymentPaused {...props} failures={4} />);
    expect(text).toContain("failed 4 times in a row");
  });

  it("links to the schedule once, as a button and as text", () => {
    expectLinkOnlyWhereExpected(rendered, props.scheduleUrl, scheduleId);
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([props.scheduleUrl, `mailto:${brand.supportEmail}`]));
  });

  it("names no address but support's, has a readable text part and only the given values", () => {
    for (const part of [rendered.html, rendered.text]) expect(new Set(addressesIn(part))).toEqual(new Set([brand.supportEmail]));
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, PaymentPaused.PreviewProps, props);
  });
});
