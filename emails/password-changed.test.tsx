import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import PasswordChanged, { type PasswordChangedProps } from "./password-changed";
import { renderEmail } from "./render";
import { addressesIn, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const props: PasswordChangedProps = { fullName: "Hari Prasad Adhikari", changedAt: "24 Nov 2026, 12:05 NPT" };

describe("password-changed", async () => {
  const rendered = await renderEmail(<PasswordChanged {...props} />);

  it("says the password was changed, when, and that other devices were signed out, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Your password was changed");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("24 Nov 2026, 12:05 NPT");
      expect(part).toContain("signed out");
    }
  });

  it("tells the reader to contact support if it was not them, and carries no link but support's address", () => {
    expect(rendered.text).toContain(`If it was not you, contact Wallet support immediately at ${brand.supportEmail}`);
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([`mailto:${brand.supportEmail}`]));
    expect(rendered.text).not.toMatch(/https?:\/\//);
    expect(new Set(addressesIn(rendered.text))).toEqual(new Set([brand.supportEmail]));
  });

  it("has a readable text part and only the given values", () => {
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, PasswordChanged.PreviewProps, props);
  });
});
