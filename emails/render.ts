import { render, toPlainText } from "@react-email/components";
import { createElement, type ReactElement } from "react";
import AccountLocked, { subject as accountLockedSubject, type AccountLockedProps } from "./account-locked";
import ConfirmChangeNew, { subject as confirmChangeNewSubject, type ConfirmChangeNewProps } from "./confirm-change-new";
import ConfirmChangeOld, { subject as confirmChangeOldSubject, type ConfirmChangeOldProps } from "./confirm-change-old";
import EmailChanged, { subject as emailChangedSubject, type EmailChangedProps } from "./email-changed";
import EmailLinked, { subject as emailLinkedSubject, type EmailLinkedProps } from "./email-linked";
import PasswordChanged, { subject as passwordChangedSubject, type PasswordChangedProps } from "./password-changed";
import PaymentFailed, { subject as paymentFailedSubject, type PaymentFailedProps } from "./payment-failed";
import PaymentPaused, { subject as paymentPausedSubject, type PaymentPausedProps } from "./payment-paused";
import PaymentReceipt, { subject as paymentReceiptSubject, type PaymentReceiptProps } from "./payment-receipt";
import PaymentReceived, { subject as paymentReceivedSubject, type PaymentReceivedProps } from "./payment-received";
import PaymentReminder, { subject as paymentReminderSubject, type PaymentReminderProps } from "./payment-reminder";
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
  "payment-reminder": PaymentReminderProps;
  "payment-receipt": PaymentReceiptProps;
  "payment-failed": PaymentFailedProps;
  "payment-paused": PaymentPausedProps;
  "payment-received": PaymentReceivedProps;
}
export type EmailTemplateName = keyof EmailTemplatePropsByName;
export type EmailTemplateProps<N extends EmailTemplateName> = EmailTemplatePropsByName[N];

interface EmailTemplate<P> {
  component: (props: P) => ReactElement;
  /** The subject with the preview props; the same for every email unless the subject depends on the props. */
  subject: string;
  /** The subject of one email (a payment's subject names its amount and the other person). */
  subjectFor: (props: P) => string;
  previewProps: P;
}

/** A template's exported `subject`: one fixed line, or a line made from the props. */
type Subject<P> = string | ((props: P) => string);

function template<P>(component: ((props: P) => ReactElement) & { PreviewProps: NoInfer<P> }, subject: Subject<P>): EmailTemplate<P> {
  const subjectFor = typeof subject === "string" ? () => subject : subject;
  return { component, subject: subjectFor(component.PreviewProps), subjectFor, previewProps: component.PreviewProps };
}

/** Every template by name, with its subject: one place for the mailer and the preview. */
export const emailTemplates: { readonly [N in EmailTemplateName]: EmailTemplate<EmailTemplatePropsByName[N]> } = {
  "verify-email": template(VerifyEmail, verifyEmailSubject),
  "confirm-change-old": template(ConfirmChangeOld, confirmChangeOldSubject),
  "confirm-change-new": template(ConfirmChangeNew, confirmChangeNewSubject),
  "email-changed": template(EmailChanged, emailChangedSubject),
  "email-linked": template(EmailLinked, emailLinkedSubject),
  "password-changed": template(PasswordChanged, passwordChangedSubject),
  "account-locked": template(AccountLocked, accountLockedSubject),
  "payment-reminder": template(PaymentReminder, paymentReminderSubject),
  "payment-receipt": template(PaymentReceipt, paymentReceiptSubject),
  "payment-failed": template(PaymentFailed, paymentFailedSubject),
  "payment-paused": template(PaymentPaused, paymentPausedSubject),
  "payment-received": template(PaymentReceived, paymentReceivedSubject),
};

export const emailTemplateNames = Object.keys(emailTemplates) as EmailTemplateName[];

/**
 * Each template's subject with its preview props. The payment templates'
 * subjects depend on the props: for those, `emailSubject(name, props)` gives
 * the subject a real email gets.
 */
export const emailSubjects = Object.fromEntries(emailTemplateNames.map((name) => [name, emailTemplates[name].subject])) as {
  readonly [N in EmailTemplateName]: string;
};

/** The subject an email from this template with these props gets. */
export function emailSubject<N extends EmailTemplateName>(name: N, props: EmailTemplateProps<N>): string {
  const template: EmailTemplate<EmailTemplateProps<N>> = emailTemplates[name];
  return template.subjectFor(props);
}

/** Subject, HTML and text for one named template: `renderEmailTemplate("verify-email", props)`. */
export async function renderEmailTemplate<N extends EmailTemplateName>(
  name: N,
  props: EmailTemplateProps<N>,
): Promise<RenderedEmail & { subject: string }> {
  const template: EmailTemplate<EmailTemplateProps<N>> = emailTemplates[name];
  const rendered = await renderEmail(createElement(template.component, props));
  return { subject: template.subjectFor(props), ...rendered };
}
