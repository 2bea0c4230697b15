import { describe, expect, it } from "vitest";
import { brand } from "./components/brand";
import EmailLinked, { type EmailLinkedProps } from "./email-linked";
import { renderEmail } from "./render";
import { addressesIn, expectNoPreviewValues, expectReadableText, hrefs } from "./test-utils";

const props: EmailLinkedProps = {
  fullName: "Maya Gurung",
  email: "maya.gurung@example.net",
  phone: "9801234567",
  appUrl: "https://wallet.test",
};

describe("email-linked", async () => {
  const rendered = await renderEmail(<EmailLinked {...props} />);

  it("follows the wording of the seed's appendix in the text part", () => {
    expect(rendered.text).toContain("Dear Maya Gurung,");
    expect(rendered.text).toContain(
      "This email (maya.gurung@example.net) has been verified and linked to your Wallet account (9801234567) at https://wallet.test",
    );
    expect(rendered.text).toMatch(/Thank you\n/);
  });

  it("says the same in the HTML part, with the app URL as a link", () => {
    for (const value of [props.fullName, props.email, props.phone]) expect(rendered.html).toContain(value);
    expect(rendered.html).toContain("has been verified and linked to your");
    expect(hrefs(rendered.html)).toContain(props.appUrl);
  });

  it("names only this address and support", () => {
    expect(new Set(addressesIn(rendered.text))).toEqual(new Set([props.email, brand.supportEmail]));
  });

  it("has a readable text part and only the given values", () => {
    expectReadableText(rendered.text);
    expectNoPreviewValues(rendered, EmailLinked.PreviewProps, props);
  });
});
