import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import { renderEmail } from "./render";
import { addressesIn, expectLinkOnlyWhereExpected, expectNoPreviewValues, expectReadableText } from "./test-utils";
import VerifyEmail, { type VerifyEmailProps } from "./verify-email";

const token = "Tk_verify_9xQ2mZ7pL4";
const props: VerifyEmailProps = {
  email: "sita.sharma@example.org",
  confirmUrl: `https://wallet.test/email/confirm?token=${token}&src=mail`,
  expiresAt: "24 Nov 2026, 09:15 NPT",
};

describe("verify-email", async () => {
  const rendered = await renderEmail(<VerifyEmail {...props} />);

  it("renders an HTML document for narrow screens", () => {
    expect(rendered.html).toMatch(/^<!DOCTYPE html/);
    expect(rendered.html).toContain('name="viewport"');
    expect(rendered.html).toContain("max-width:480px");
  });

  it("says what to do, by when, and what happens if it was not them, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Confirm your email address");
      expect(part).toContain("sita.sharma@example.org");
      expect(part).toContain("24 Nov 2026, 09:15 NPT");
      expect(part).toContain("If you did not ask for this, ignore this email; the address will not be linked.");
      expect(part).toContain(brand.supportEmail);
    }
  });

  it("puts the link in a button and as text, and the token nowhere else", () => {
    expectLinkOnlyWhereExpected(rendered, props.confirmUrl, token);
  });

  it("has a readable text part", () => {
    expectReadableText(rendered.text);
    // The recipient is not verified yet: nothing the requester typed (their name) is in it.
    expect(rendered.text).toContain("Hello,");
  });

  it("shows only the given values", () => {
    expectNoPreviewValues(rendered, VerifyEmail.PreviewProps, props);
    expect(new Set(addressesIn(rendered.text))).toEqual(new Set([props.email, brand.supportEmail]));
  });

  it("escapes display values instead of injecting markup", async () => {
    const hostile = await renderEmail(<VerifyEmail {...props} expiresAt="<b>soon</b>" />);
    expect(hostile.html).not.toContain("<b>soon</b>");
    expect(hostile.html).toContain("&lt;b&gt;soon");
  });
});
