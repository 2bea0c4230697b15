import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import EmailChanged, { type EmailChangedProps } from "./email-changed";
import { renderEmail } from "./render";
import { addressesIn, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const props: EmailChangedProps = {
  fullName: "Hari Prasad Adhikari",
  newEmailMasked: "h***@othermail.example",
  changedAt: "24 Nov 2026, 12:05 NPT",
};

describe("email-changed", async () => {
  const rendered = await renderEmail(<EmailChanged {...props} />);

  it("says what changed, to what (masked) and when, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Your email was changed");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("h***@othermail.example");
      expect(part).toContain("24 Nov 2026, 12:05 NPT");
    }
  });

  it("tells the reader to contact support immediately if it was not them", () => {
    expect(rendered.text).toContain(`If it was not you, contact Wallet support immediately at ${brand.supportEmail}`);
  });

  it("carries no action link, only the support contact", () => {
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([`mailto:${brand.supportEmail}`]));
    expect(rendered.text).not.toMatch(/https?:\/\//);
  });

  it("shows the new address only masked, and no other address but support", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(new Set(addressesIn(part))).toEqual(new Set([props.newEmailMasked, brand.supportEmail]));
    }
  });

  it("has a readable text part and only the given values", () => {
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, EmailChanged.PreviewProps, props);
  });
});
