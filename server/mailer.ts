import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { renderEmailTemplate, type EmailTemplateName, type EmailTemplateProps } from "@/emails/render";
import { maskEmail } from "@/lib/email-address";
import { env } from "@/server/env";
import { log } from "@/server/logger";
import { metrics } from "@/server/metrics";

const globalForMail = globalThis as unknown as { mailTransport?: Transporter };
const transport = (globalForMail.mailTransport ??= nodemailer.createTransport(env.SMTP_URL));

/**
 * Renders a template to HTML and plain text and hands it to the SMTP server.
 * Throws when the server refuses or cannot be reached; callers run inside a
 * workflow step, which retries.
 */
export async function sendEmail<N extends EmailTemplateName>(options: { to: string; template: N; props: EmailTemplateProps<N> }) {
  try {
    const { subject, html, text } = await renderEmailTemplate(options.template, options.props);
    await transport.sendMail({ from: env.MAIL_FROM, to: options.to, subject, html, text });
  } catch (error) {
    metrics.emailsFailed.inc({ template: options.template });
    throw error;
  }
  metrics.emailsSent.inc({ template: options.template });
  log.info("email sent", { template: options.template, to: maskEmail(options.to) });
}

/** "23 Nov 2026, 14:05 NPT": how times appear in emails (Nepal Time), the same as on the pages. */
export { formatNepalTime as formatEmailTime } from "@/lib/nepal-time";
