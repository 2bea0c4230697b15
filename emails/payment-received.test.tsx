import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import PaymentReceived, { subject, type PaymentReceivedProps } from "./payment-received";
import { emailSubject, renderEmail } from "./render";
import {
  addressesIn,
  expectLinkOnlyWhereExpected,
  expectNoPreviewValues,
  expectReadableText,
  expectTypedTextShownAsText,
  hrefs,
} from "./test-utils";

const props: PaymentReceivedProps = {
  fullName: "Gita Rai",
  amount: "Rs. 2,450.50",
  payerName: "Hari Prasad Adhikari",
  payerPhone: "98******05",
  receivedAt: "2 Dec 2026, 07:30 NPT",
  note: "School fees, term 2",
  walletUrl: "https://wallet.test/wallet?from=received-mail",
};

describe("payment-received", async () => {
  const rendered = await renderEmail(<PaymentReceived {...props} />);

  it("names the amount and the payer in the subject", () => {
    expect(subject(props)).toBe("You received Rs. 2,450.50 from Hari Prasad Adhikari");
    expect(emailSubject("payment-received", props)).toBe(subject(props));
  });

  it("says what arrived, from whom (phone masked), when, with the payer's note, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("You received money");
      expect(part).toContain("Gita Rai");
      expect(part).toContain("Rs. 2,450.50");
      expect(part).toContain("Hari Prasad Adhikari (98******05)");
      expect(part).toContain("2 Dec 2026, 07:30 NPT");
      expect(part).toContain("School fees, term 2");
    }
    expect(rendered.text).toContain("Dear Gita Rai,");
    expect(rendered.text).toContain(
      "Amount: Rs. 2,450.50\nFrom: Hari Prasad Adhikari (98******05)\nReceived at: 2 Dec 2026, 07:30 NPT\nNote from the sender: School fees, term 2",
    );
  });

  it("says the money is already in the wallet, and warns about send-it-back scams", () => {
    expect(rendered.text).toContain("The money is already in your wallet; there is nothing you need to do.");
    expect(rendered.text).toMatch(/never asks you to send money back or to share a code/);
  });

  it("links to the wallet once, as a button and as text", () => {
    expectLinkOnlyWhereExpected(rendered, props.walletUrl, "received-mail");
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([props.walletUrl, `mailto:${brand.supportEmail}`]));
  });

  it("leaves the note line out when there is no note, and shows the payer's note as text", async () => {
    const { html, text } = await renderEmail(<PaymentReceived {...props} note={null} />);
    for (const part of [html, text]) expect(part).not.toMatch(/Note from the sender/);
    const note = '<script>location="https://evil.example"</script>';
    expectTypedTextShownAsText(await renderEmail(<PaymentReceived {...props} note={note} />), note);
  });

  it("names no address but support's, has a readable text part and only the given values", () => {
    for (const part of [rendered.html, rendered.text]) expect(new Set(addressesIn(part))).toEqual(new Set([brand.supportEmail]));
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, PaymentReceived.PreviewProps, props);
  });
});
