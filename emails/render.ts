import { render, toPlainText } from "@react-email/components";
import { createElement, type ReactElement } from "react";
import AccountLocked, { subject as accountLockedSubject, type AccountLockedProps } from "./account-locked";
import ConfirmChangeNew, { subject as confirmChangeNewSubject, type ConfirmChangeNewProps } from "./confirm-change-new";
import ConfirmChangeOld, { subject as confirmChangeOldSubject, type ConfirmChangeOldProps } from "./confirm-change-old";
import EmailChanged, { subject as emailChangedSubject, type EmailChangedProps } from "./email-changed";
import EmailLinked, { subject as emailLinkedSubject, type EmailLinkedProps } from "./email-linked";
import PasswordChanged, { subject as passwordChangedSubject, type PasswordChangedProps } from "./password-changed";
import VerifyEmail, { subject as verifyEmailSubject, type VerifyEmailProps } from "./verify-email";

export interface RenderedEmail {
  html: string;
  text: string;
}

// Headings stay in sentence case in the text part (html-to-text shouts them by default).
const headingSelectors = ["h1", "h2", "h3"].map((selector) => ({
  selector,
  options: { uppercase: false },
}));

/** Renders one template to both MIME parts; send both. */
export async function renderEmail(element: ReactElement): Promise<RenderedEmail> {
  const html = await render(element);
  const text =
    toPlainText(html, { selectors: headingSelectors })
      .replace(/\n{3,}/g, "\n\n")
      .trim() + "\n";
  return { html, text };
}

export interface EmailTemplatePropsByName {
  "verify-email": VerifyEmailProps;
  "confirm-change-old": ConfirmChangeOldProps;
  "confirm-change-new": ConfirmChangeNewProps;
  "email-changed": EmailChangedProps;
  "email-linked": EmailLinkedProps;
  "password-changed": PasswordChangedProps;
  "account-locked": AccountLockedProps;
}
export type EmailTemplateName = keyof EmailTemplatePropsByName;
export type EmailTemplateProps<N extends EmailTemplateName> = EmailTemplatePropsByName[N];

interface EmailTemplate<P> {
  component: (props: P) => ReactElement;
  subject: string;
  previewProps: P;
}

/** Every template by name, with its subject: one place for the mailer and the preview. */
export const emailTemplates: { readonly [N in EmailTemplateName]: EmailTemplate<EmailTemplatePropsByName[N]> } = {
  "verify-email": { component: VerifyEmail, subject: verifyEmailSubject, previewProps: VerifyEmail.PreviewProps },
  "confirm-change-old": {
    component: ConfirmChangeOld,
    subject: confirmChangeOldSubject,
    previewProps: ConfirmChangeOld.PreviewProps,
  },
  "confirm-change-new": {
    component: ConfirmChangeNew,
    subject: confirmChangeNewSubject,
    previewProps: ConfirmChangeNew.PreviewProps,
  },
  "email-changed": { component: EmailChanged, subject: emailChangedSubject, previewProps: EmailChanged.PreviewProps },
  "email-linked": { component: EmailLinked, subject: emailLinkedSubject, previewProps: EmailLinked.PreviewProps },
  "password-changed": { component: PasswordChanged, subject: passwordChangedSubject, previewProps: PasswordChanged.PreviewProps },
  "account-locked": { component: AccountLocked, subject: accountLockedSubject, previewProps: AccountLocked.PreviewProps },
};

export const emailTemplateNames = Object.keys(emailTemplates) as EmailTemplateName[];

export const emailSubjects = Object.fromEntries(emailTemplateNames.map((name) => [name, emailTemplates[name].subject])) as {
  readonly [N in EmailTemplateName]: string;
};

/** Subject, HTML and text for one named template: `renderEmailTemplate("verify-email", props)`. */
export async function renderEmailTemplate<N extends EmailTemplateName>(
  name: N,
  props: EmailTemplateProps<N>,
): Promise<RenderedEmail & { subject: string }> {
  const template: EmailTemplate<EmailTemplateProps<N>> = emailTemplates[name];
  const rendered = await renderEmail(createElement(template.component, props));
  return { subject: template.subject, ...rendered };
}
