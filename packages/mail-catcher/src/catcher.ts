import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import type { Address } from "postal-mime";
import { SMTPServer } from "smtp-server";
import type { SMTPServerDataStream } from "smtp-server";
import { assertPortFree } from "./ports";

/**
 * A local stand-in for a mail relay: accepts anything over SMTP (no auth, no TLS),
 * keeps the parsed messages in memory and serves them over HTTP for people
 * (an inbox page) and for tests (a JSON API). Never expose it beyond loopback:
 * it holds live one-time links.
 */

export interface CaughtMessage {
  id: string;
  /** The From header, as `Name <address>` or just the address. */
  from: string;
  /** The SMTP envelope recipients (who actually received it, Bcc included). */
  to: string[];
  subject: string;
  /** The plain-text part; "" when the message had none. */
  text: string;
  /** The HTML part; "" when the message had none. */
  html: string;
  /** ISO 8601 time the catcher accepted the message. */
  receivedAt: string;
}

export interface MailCatcherOptions {
  smtpPort: number;
  httpPort: number;
  host?: string;
  log?: (line: string) => void;
  /** Oldest messages are dropped beyond this many. */
  maxMessages?: number;
}

export interface MailCatcher {
  smtpUrl: string;
  inboxUrl: string;
  stop(): Promise<void>;
}

const DEFAULT_MAX_MESSAGES = 1000;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const { smtpPort, httpPort, host = "127.0.0.1", log = () => {}, maxMessages = DEFAULT_MAX_MESSAGES } = options;

  // Port 0 means "any free port" (tests); only fixed ports can clash.
  if (smtpPort !== 0) await assertPortFree(smtpPort, "Mail catcher (SMTP)", host);
  if (httpPort !== 0) await assertPortFree(httpPort, "Mail catcher (inbox HTTP)", host);

  // Newest last; readers reverse it.
  const messages: CaughtMessage[] = [];
  let smtpDown = false;

  const temporaryFailure = () =>
    Object.assign(new Error("4.3.0 Mail catcher is simulating an outage (POST /api/smtp/up to end it)"), {
      responseCode: 451,
    });

  const smtp = new SMTPServer({
    banner: "Local mail catcher",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 1000,
    onMailFrom(_address, _session, callback) {
      callback(smtpDown ? temporaryFailure() : null);
    },
    onRcptTo(_address, _session, callback) {
      callback(smtpDown ? temporaryFailure() : null);
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error: Error) => callback(error));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error("5.3.4 Message too big for the mail catcher"), { responseCode: 552 }));
          return;
        }
        // The outage may have started while this message was being transferred.
        if (smtpDown) {
          callback(temporaryFailure());
          return;
        }
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        PostalMime.parse(Buffer.concat(chunks))
          .then((email) => {
            const message: CaughtMessage = {
              id: randomUUID(),
              from: formatAddress(email.from) ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ""),
              to: recipients,
              subject: email.subject ?? "",
              text: email.text ?? "",
              html: email.html ?? "",
              receivedAt: new Date().toISOString(),
            };
            messages.push(message);
            if (messages.length > maxMessages) messages.splice(0, messages.length - maxMessages);
            log(`mail-catcher: received "${message.subject}" for ${recipients.join(", ")}`);
            callback(null, `Message accepted as ${message.id}`);
          })
          .catch((error: unknown) => {
            log(`mail-catcher: could not parse a message: ${String(error)}`);
            callback(Object.assign(new Error("5.6.0 Mail catcher could not parse the message"), { responseCode: 554 }));
          });
      });
    },
  });

  // Client hiccups (a dropped connection) surface here; they must not crash the process.
  smtp.on("error", (error: Error) => log(`mail-catcher: SMTP error: ${error.message}`));

  const newestFirst = () => messages.slice().reverse();

  const server = http.createServer((req, res) => {
    try {
      route(req, res);
    } catch (error) {
      log(`mail-catcher: ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, errorBody("INTERNAL", "The mail catcher failed to answer."));
      else res.end();
    }
  });
  // Keep-alive sockets would otherwise hold stop() open.
  server.keepAliveTimeout = 1000;

  function route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://mail-catcher.local");
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/+$/, "") || "/";

    if (path === "/api/messages") {
      if (method === "GET") {
        const to = url.searchParams.get("to")?.trim().toLowerCase();
        const list = newestFirst().filter((m) => !to || m.to.some((address) => address.toLowerCase() === to));
        return sendJson(res, 200, list);
      }
      if (method === "DELETE") {
        const deleted = messages.length;
        messages.length = 0;
        log(`mail-catcher: inbox emptied (${deleted} messages)`);
        return sendJson(res, 200, { deleted });
      }
      return methodNotAllowed(res, "GET, DELETE");
    }

    const apiMessage = /^\/api\/messages\/([^/]+)$/.exec(path);
    if (apiMessage) {
      if (method !== "GET") return methodNotAllowed(res, "GET");
      const message = find(apiMessage[1]);
      if (!message) return sendJson(res, 404, errorBody("NOT_FOUND", "No message with this id."));
      return sendJson(res, 200, message);
    }

    if (path === "/api/smtp") {
      if (method !== "GET") return methodNotAllowed(res, "GET");
      return sendJson(res, 200, { smtp: smtpDown ? "down" : "up" });
    }
    if (path === "/api/smtp/down" || path === "/api/smtp/up") {
      if (method !== "POST") return methodNotAllowed(res, "POST");
      smtpDown = path.endsWith("/down");
      log(`mail-catcher: SMTP is now ${smtpDown ? "DOWN (rejecting with 451)" : "up"}`);
      return sendJson(res, 200, { smtp: smtpDown ? "down" : "up" });
    }

    if (path.startsWith("/api/")) return sendJson(res, 404, errorBody("NOT_FOUND", "No such endpoint."));

    if (method !== "GET" && method !== "HEAD") return methodNotAllowed(res, "GET");
    if (path === "/") return sendPage(res, 200, renderInboxPage(newestFirst(), smtpDown));
    const pageMessage = /^\/messages\/([^/]+)$/.exec(path);
    if (pageMessage) {
      const message = find(pageMessage[1]);
      if (message) return sendPage(res, 200, renderMessagePage(message));
    }
    return sendPage(res, 404, renderNotFoundPage());
  }

  function find(rawId: string | undefined): CaughtMessage | undefined {
    const id = safeDecode(rawId ?? "");
    return messages.find((m) => m.id === id);
  }

  try {
    await listen(
      (onError) => {
        smtp.once("error", onError);
        return new Promise<void>((resolve) => smtp.listen(smtpPort, host, () => resolve()));
      },
      "Mail catcher (SMTP)",
      host,
      smtpPort,
    );
    await listen(
      (onError) => {
        server.once("error", onError);
        return new Promise<void>((resolve) => server.listen(httpPort, host, () => resolve()));
      },
      "Mail catcher (inbox HTTP)",
      host,
      httpPort,
    );
  } catch (error) {
    await closeSmtp(smtp).catch(() => {});
    throw error;
  }

  const actualSmtpPort = (smtp.server.address() as AddressInfo).port;
  const actualHttpPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  let stopping: Promise<void> | undefined;
  return {
    smtpUrl: `smtp://${urlHost}:${actualSmtpPort}`,
    inboxUrl: `http://${urlHost}:${actualHttpPort}`,
    stop() {
      stopping ??= Promise.all([
        closeSmtp(smtp),
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
      ]).then(() => undefined);
      return stopping;
    },
  };
}

async function listen(
  start: (onError: (error: Error) => void) => Promise<void>,
  service: string,
  host: string,
  port: number,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      // assertPortFree has a race with other starters; say the same clear thing.
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
        reject(new Error(`${service} cannot start: ${host}:${port} is already in use by another process.`));
      } else {
        reject(new Error(`${service} cannot start on ${host}:${port}: ${error.message}`));
      }
    };
    start(onError).then(resolve, reject);
  });
}

function closeSmtp(smtp: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    if (!smtp.server.listening) return resolve();
    smtp.close(() => resolve());
  });
}

function formatAddress(address: Address | undefined): string | undefined {
  if (!address) return undefined;
  if (address.address === undefined) return address.name || undefined;
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
  });
  res.end(payload);
}

function methodNotAllowed(res: http.ServerResponse, allow: string): void {
  res.setHeader("Allow", allow);
  sendJson(res, 405, errorBody("METHOD_NOT_ALLOWED", `Use ${allow}.`));
}

// Pages show untrusted mail. The policy is inherited by the srcdoc iframe, so it
// must allow the email's inline styles and remote images, but never scripts.
const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src http: https: data:",
  "font-src http: https: data:",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function sendPage(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    // The links carry one-time tokens; do not hand them to whatever the email links to.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  res.end(html);
}

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6}
header{background:#4c1d95;color:#fff;padding:12px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0;flex:1}
header a{color:#fff}
main{max-width:860px;margin:0 auto;padding:12px}
.status{background:#fee2e2;color:#7f1d1d;padding:8px 12px;border-radius:6px;margin:0 0 12px}
ul.list{list-style:none;margin:0;padding:0}
ul.list li{margin:0 0 8px}
ul.list a{display:block;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px;color:inherit;text-decoration:none;min-height:48px}
ul.list a:hover,ul.list a:focus{border-color:#4c1d95}
.subject{font-weight:600;display:block;overflow-wrap:anywhere}
.meta{color:#4b5563;font-size:14px;display:block;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px;margin:0 0 12px}
dt{color:#4b5563}
dd{margin:0;overflow-wrap:anywhere}
h2{font-size:16px;margin:16px 0 8px}
iframe{width:100%;height:70vh;min-height:420px;border:1px solid #d1d5db;border-radius:8px;background:#fff}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px;font-size:14px}
.empty{color:#4b5563}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>Mail catcher</h1><a href="/">Inbox (refresh)</a></header>
<main>
${body}
</main>
</body>
</html>`;
}

function renderInboxPage(list: CaughtMessage[], smtpDown: boolean): string {
  const status = smtpDown
    ? `<p class="status" role="status">SMTP is simulating an outage: new messages are rejected with 451.</p>`
    : "";
  const items = list.length
    ? `<ul class="list">${list
        .map(
          (m) => `<li><a href="/messages/${encodeURIComponent(m.id)}">
<span class="subject">${escapeHtml(m.subject || "(no subject)")}</span>
<span class="meta">To ${escapeHtml(m.to.join(", "))}</span>
<span class="meta">From ${escapeHtml(m.from)} · <time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(m.receivedAt)}</time></span>
</a></li>`,
        )
        .join("\n")}</ul>`
    : `<p class="empty">No messages yet. Send mail to the catcher's SMTP port and refresh.</p>`;
  return layout(`Inbox (${list.length})`, `${status}<p class="meta">${list.length} message(s), newest first.</p>${items}`);
}

function renderMessagePage(message: CaughtMessage): string {
  const meta = `<dl>
<dt>Subject</dt><dd>${escapeHtml(message.subject || "(no subject)")}</dd>
<dt>From</dt><dd>${escapeHtml(message.from)}</dd>
<dt>To</dt><dd>${escapeHtml(message.to.join(", "))}</dd>
<dt>Received</dt><dd><time datetime="${escapeHtml(message.receivedAt)}">${escapeHtml(message.receivedAt)}</time></dd>
<dt>JSON</dt><dd><a href="/api/messages/${encodeURIComponent(message.id)}">/api/messages/${escapeHtml(message.id)}</a></dd>
</dl>`;
  // The HTML part runs in a sandbox without scripts or same-origin access. Links
  // open the app in the top window (or a new, unsandboxed tab for target=_blank).
  const htmlPart = message.html
    ? `<h2>HTML</h2><iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(withBaseTarget(message.html))}"></iframe>`
    : `<h2>HTML</h2><p class="empty">This message has no HTML part.</p>`;
  const textPart = message.text
    ? `<h2>Text</h2><pre>${linkify(message.text)}</pre>`
    : `<h2>Text</h2><p class="empty">This message has no text part.</p>`;
  return layout(message.subject || "(no subject)", `${meta}${htmlPart}${textPart}`);
}

function renderNotFoundPage(): string {
  return layout("Not found", `<p class="empty">No such message (the inbox may have been emptied). <a href="/">Back to the inbox</a>.</p>`);
}

/** Makes links without their own target open in the top window, not inside the frame. */
function withBaseTarget(html: string): string {
  const base = `<base target="_top">`;
  const head = /<head\b[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length);
  return base + html;
}

/** Escapes plain text and turns http(s) URLs into links. */
function linkify(text: string): string {
  const urlPattern = /https?:\/\/[^\s<>"']+/g;
  let out = "";
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    // Trailing punctuation usually ends the sentence, not the URL.
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const start = match.index;
    out += escapeHtml(text.slice(last, start));
    out += `<a href="${escapeHtml(url)}" target="_top">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return out + escapeHtml(text.slice(last));
}
