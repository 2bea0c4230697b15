import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import ConfirmChangeOld, { type ConfirmChangeOldProps } from "./confirm-change-old";
import { renderEmail } from "./render";
import { addressesIn, expectLinkOnlyWhereExpected, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const token = "Tk_old_hop_4Rw8nB1cQe";
const props: ConfirmChangeOldProps = {
  fullName: "Ram Bahadur Thapa",
  newEmailMasked: "r***@newmail.example",
  confirmUrl: `https://wallet.test/email/confirm?token=${token}&hop=old`,
  expiresAt: "24 Nov 2026, 10:45 NPT",
};

describe("confirm-change-old", async () => {
  const rendered = await renderEmail(<ConfirmChangeOld {...props} />);

  it("asks to confirm the change to the masked address, with the deadline, in both parts", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain("Confirm you want to change your email");
      expect(part).toContain("Ram Bahadur Thapa");
      expect(part).toContain("r***@newmail.example");
      expect(part).toContain("24 Nov 2026, 10:45 NPT");
      expect(part).toContain("Step 1 of 2");
    }
  });

  it("tells someone who did not ask not to click, to change the password and to contact support", () => {
    expect(rendered.text).toMatch(/Not you\? Do not click the link/);
    expect(rendered.text).toMatch(/Change your Wallet password/);
    expect(rendered.text).toContain(`contact support at ${brand.supportEmail}`);
  });

  it("puts the link in a button and as text, and the token nowhere else", () => {
    expectLinkOnlyWhereExpected(rendered, props.confirmUrl, token);
    expect(new Set(hrefs(rendered.html))).toEqual(new Set([props.confirmUrl, `mailto:${brand.supportEmail}`]));
  });

  it("shows the new address only masked, and no other address but support", () => {
    for (const part of [rendered.html, rendered.text]) {
      expect(new Set(addressesIn(part))).toEqual(new Set([props.newEmailMasked, brand.supportEmail]));
    }
  });

  it("has a readable text part and only the given values", () => {
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, ConfirmChangeOld.PreviewProps, props);
  });
});
