import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { renderEmailTemplate, type EmailTemplateName, type EmailTemplateProps } from "@/emails/render";
import { maskEmail } from "@/lib/email-address";
import { env } from "@/server/env";
import { log } from "@/server/logger";

const globalForMail = globalThis as unknown as { mailTransport?: Transporter };
const transport = (globalForMail.mailTransport ??= nodemailer.createTransport(env.SMTP_URL));

/**
 * Renders a template to HTML and plain text and hands it to the SMTP server.
 * Throws when the server refuses or cannot be reached; callers run inside a
 * workflow step, which retries.
 */
export async function sendEmail<N extends EmailTemplateName>(options: { to: string; template: N; props: EmailTemplateProps<N> }) {
  const { subject, html, text } = await renderEmailTemplate(options.template, options.props);
  await transport.sendMail({ from: env.MAIL_FROM, to: options.to, subject, html, text });
  log.info("email sent", { template: options.template, to: maskEmail(options.to) });
}

/** "23 Nov 2026, 14:05 NPT": how times appear in emails (Nepal Time), the same as on the pages. */
export { formatNepalTime as formatEmailTime } from "@/lib/nepal-time";
