import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import ConfirmChangeNew, { type ConfirmChangeNewProps } from "./confirm-change-new";
import { renderEmail } from "./render";
import { addressesIn, expectLinkOnlyWhereExpected, expectNoPreviewValues, expectReadableText } from "./test-utils";

const token = "Tk_new_hop_7Yp3sD6fHa";
const props: ConfirmChangeNewProps = {
  email: "gita.rai@newmail.example",
  confirmUrl: `https://wallet.test/email/confirm?token=${token}&hop=new`,
  expiresAt: "24 Nov 2026, 11:50 NPT",
};

describe("confirm-change-new", async () => {
  const rendered = await renderEmail(<ConfirmChangeNew {...props} />);

  it("presents the last step for the new address, with the deadline, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Confirm your new email address");
      expect(part).toContain("gita.rai@newmail.example");
      expect(part).toContain("One last step");
      expect(part).toContain("24 Nov 2026, 11:50 NPT");
      expect(part).toContain("If you did not ask for this, ignore this email; the address will not be linked.");
    }
  });

  it("puts the link in a button and as text, and the token nowhere else", () => {
    expectLinkOnlyWhereExpected(rendered, props.confirmUrl, token);
  });

  it("names only the new address (never the old one) and support", () => {
    expect(new Set(addressesIn(rendered.text))).toEqual(new Set([props.email, brand.supportEmail]));
    expect(new Set(addressesIn(rendered.html))).toEqual(new Set([props.email, brand.supportEmail]));
  });

  it("has a readable text part and only the given values", () => {
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, ConfirmChangeNew.PreviewProps, props);
  });
});
