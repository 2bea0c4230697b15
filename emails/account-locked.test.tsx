import { describe, expect, it } from "vitest";
import AccountLocked, { type AccountLockedProps } from "./account-locked";
import { brand } from "./components/brand";
import { renderEmail } from "./render";
import { addressesIn, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const props: AccountLockedProps = {
  fullName: "Hari Prasad Adhikari",
  lockedUntil: "24 Nov 2026, 12:20 NPT",
  scope: "strangers",
};

describe("account-locked", async () => {
  const rendered = await renderEmail(<AccountLocked {...props} />);

  it("says the account was locked, for whom and until when, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Your account was locked");
      expect(part).toContain("Hari Prasad Adhikari");
      expect(part).toContain("24 Nov 2026, 12:20 NPT");
      expect(part).toMatch(/Where you have signed in before, you can still sign in/);
    }
  });

  it.each([
    ["devices", /where you have signed in before\./],
    ["everyone", /everywhere, your own phones and browsers included/],
  ] as const)("words a lock of %s for what it is", async (scope, wording) => {
    const { text } = await renderEmail(<AccountLocked {...props} scope={scope} />);
    expect(text).toMatch(wording);
    expect(text).not.toMatch(/you can still sign in/);
  });

  it("tells the reader what to do if it was not them", () => {
    expect(rendered.text).toMatch(/If these attempts were not yours/);
    expect(rendered.text).toContain(brand.supportEmail);
  });

  it("carries no link but the support contact, and no address but support's", () => {
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([`mailto:${brand.supportEmail}`]));
    expect(rendered.text).not.toMatch(/https?:\/\//);
    for (const part of [rendered.html, rendered.text]) expect(new Set(addressesIn(part))).toEqual(new Set([brand.supportEmail]));
  });

  it("has a readable text part and only the given values", () => {
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, AccountLocked.PreviewProps, props);
  });
});
