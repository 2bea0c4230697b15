import { describe, expect, it } from "vitest";
import PaymentReceived from "./payment-received";
import { emailSubject, emailSubjects, emailTemplateNames, emailTemplates, renderEmail, renderEmailTemplate } from "./render";
import VerifyEmail from "./verify-email";

describe("renderEmailTemplate", () => {
  it("renders every registered template from its PreviewProps with its subject", async () => {
    for (const name of emailTemplateNames) {
      const rendered = await renderEmailTemplate(name, emailTemplates[name].previewProps as never);
      expect(rendered.subject).toBe(emailSubjects[name]);
      expect(rendered.html).toMatch(/^<!DOCTYPE html/);
      expect(rendered.text.length).toBeGreaterThan(50);
    }
  });

  it("gives the same parts as renderEmail on the element", async () => {
    const props = VerifyEmail.PreviewProps;
    const viaName = await renderEmailTemplate("verify-email", props);
    const direct = await renderEmail(<VerifyEmail {...props} />);
    expect(viaName.html).toBe(direct.html);
    expect(viaName.text).toBe(direct.text);
  });

  it("gives an email whose subject depends on its props the subject made from those props", async () => {
    const props = { ...PaymentReceived.PreviewProps, amount: "Rs. 75.25", payerName: "Bishnu Tamang" };
    const rendered = await renderEmailTemplate("payment-received", props);
    expect(rendered.subject).toBe("You received Rs. 75.25 from Bishnu Tamang");
    expect(emailSubject("payment-received", props)).toBe(rendered.subject);
    expect(emailSubject("account-locked", emailTemplates["account-locked"].previewProps)).toBe(emailSubjects["account-locked"]);
  });

  it("keeps headings in sentence case in the text part", async () => {
    const { text } = await renderEmail(<VerifyEmail {...VerifyEmail.PreviewProps} />);
    expect(text).toContain("Confirm your email address");
    expect(text).not.toContain("CONFIRM YOUR EMAIL ADDRESS");
  });
});
