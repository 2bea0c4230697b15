import { createHash } from "node:crypto";
import type http from "node:http";
import type { Route } from "./http";
import type { Log, OutageSwitch } from "./smtp";
import type { CaughtMessage, MessageStore } from "./store";

/** Full bodies of more messages than this make the page slow; the API has them all. */
export const INBOX_PAGE_LIMIT = 50;

/** The pages people use: the inbox, one message, and the inbox's buttons. */
export function pageRoutes(options: { store: MessageStore; outage: OutageSwitch; log: Log }): Route[] {
  const { store, outage, log } = options;
  return [
    {
      path: "/",
      methods: { GET: ({ res }) => sendPage(res, 200, renderInboxPage(store.list(), { smtpDown: outage.down })) },
    },
    {
      path: /^\/messages\/([^/]+)$/,
      methods: {
        GET: ({ res, params: [id = ""] }) => {
          const message = store.get(id);
          if (message) sendPage(res, 200, renderMessagePage(message));
          else sendPage(res, 404, renderNotFoundPage());
        },
      },
    },
    {
      path: "/empty",
      methods: {
        POST: ({ res }) => {
          const deleted = store.clear();
          log(`mail-catcher: inbox emptied from the page (${deleted} messages)`);
          backToInbox(res);
        },
      },
    },
    {
      path: /^\/smtp\/(down|up)$/,
      methods: {
        POST: ({ res, params: [state] }) => {
          outage.set(state === "down");
          backToInbox(res);
        },
      },
    },
  ];
}

/** Post/redirect/get, so reloading the inbox does not repeat the action. */
function backToInbox(res: http.ServerResponse): void {
  res.writeHead(303, { Location: "/", "Content-Length": 0, "Cache-Control": "no-store" });
  res.end();
}

/**
 * Sizes each message's frame to its document so the page scrolls, not the frame.
 * It runs in the page (the frames allow no scripts) and listens in the capture
 * phase from <head>, so it sees every frame's load however early that comes.
 * A horizontal scrollbar inside a too-wide email adds its own height.
 */
const FIT_FRAMES_SCRIPT =
  "(function(){" +
  "function fit(f){var d=f.contentDocument,e=d&&(d.scrollingElement||d.documentElement);if(!e)return;" +
  'f.style.height="0";var h=e.scrollHeight;f.style.height=h+"px";' +
  'var bar=f.contentWindow.innerHeight-e.clientHeight;if(bar>0)f.style.height=h+bar+"px"}' +
  'document.addEventListener("load",function(ev){var t=ev.target;' +
  'if(t instanceof HTMLIFrameElement&&t.classList.contains("mail-html"))fit(t)},true);' +
  'addEventListener("resize",function(){document.querySelectorAll("iframe.mail-html").forEach(fit)})' +
  "})();";

// Pages show untrusted mail, and srcdoc frames inherit this policy: it must
// allow the email's inline styles and remote images, and no script but ours.
const PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${createHash("sha256").update(FIT_FRAMES_SCRIPT).digest("base64")}'`,
  "style-src 'unsafe-inline'",
  "img-src http: https: data:",
  "font-src http: https: data:",
  "form-action 'self'",
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
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** "23 Nov 2026, 14:05:09 UTC": the catcher runs on the developer's machine, so its zone is theirs. */
export function formatReceivedAt(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
    timeZone,
  }).format(date);
}

const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6}
body>header{background:#4c1d95;color:#fff;padding:12px 16px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
body>header h1{font-size:18px;margin:0;flex:1}
body>header a{color:#fff}
main{max-width:900px;margin:0 auto;padding:12px}
.toolbar{display:flex;gap:8px 12px;align-items:center;flex-wrap:wrap;margin:0 0 12px}
.toolbar form{margin:0}
.smtp{margin:0;flex:1;min-width:240px;padding:8px 12px;border-radius:6px}
.smtp-up{background:#dcfce7;color:#14532d}
.smtp-down{background:#fee2e2;color:#7f1d1d}
button{font:inherit;min-height:40px;padding:6px 14px;border-radius:6px;border:1px solid #4c1d95;background:#fff;color:#4c1d95;cursor:pointer}
button:hover,button:focus-visible{background:#ede9fe}
button.danger{border-color:#b91c1c;color:#b91c1c}
button.danger:hover,button.danger:focus-visible{background:#fee2e2}
button:disabled{opacity:.5;cursor:default;background:#fff}
.count{color:#4b5563;margin:0 0 12px}
article.message{background:#fff;border:1px solid #d1d5db;border-radius:8px;margin:0 0 16px;overflow:hidden}
article.message>header{padding:12px;border-bottom:1px solid #e5e7eb}
.subject{font-size:17px;font-weight:600;margin:0;overflow-wrap:anywhere}
.subject a{color:inherit}
.meta{color:#4b5563;font-size:14px;margin:2px 0 0;overflow-wrap:anywhere}
.body{padding:12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px;margin:0 0 12px}
dt{color:#4b5563}
dd{margin:0;overflow-wrap:anywhere}
h2{font-size:16px;margin:16px 0 8px}
iframe.mail-html{display:block;box-sizing:content-box;width:100%;height:60vh;border:0;background:#fff}
.standalone iframe.mail-html{border:1px solid #d1d5db;border-radius:8px;width:calc(100% - 2px)}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px;font-size:14px;margin:0}
details{margin:8px 0 0}
summary{cursor:pointer;color:#4b5563;font-size:14px}
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
<script>${FIT_FRAMES_SCRIPT}</script>
</head>
<body>
<header><h1>Mail catcher</h1><a href="/">Inbox</a></header>
<main>
${body}
</main>
</body>
</html>`;
}

export function renderInboxPage(messages: CaughtMessage[], state: { smtpDown: boolean; timeZone?: string }): string {
  const smtp = state.smtpDown
    ? `<p class="smtp smtp-down" role="status">SMTP is <strong>down</strong>: new messages are rejected with 451.</p>
<form method="post" action="/smtp/up"><button type="submit">End the outage</button></form>`
    : `<p class="smtp smtp-up" role="status">SMTP is <strong>up</strong>: accepting mail.</p>
<form method="post" action="/smtp/down"><button type="submit">Simulate an outage (451)</button></form>`;
  const empty = `<form method="post" action="/empty"><button type="submit" class="danger"${messages.length ? "" : " disabled"}>Empty inbox</button></form>`;
  const shown = messages.slice(0, INBOX_PAGE_LIMIT);
  const count =
    messages.length > shown.length
      ? `Showing the newest ${shown.length} of ${messages.length} messages; <a href="/api/messages">/api/messages</a> has them all.`
      : `${messages.length} ${messages.length === 1 ? "message" : "messages"}, newest first.`;
  const list = shown.length
    ? shown.map((message) => renderInboxItem(message, state.timeZone)).join("\n")
    : `<p class="empty">No messages yet. Send mail to the catcher's SMTP port and reload.</p>`;
  return layout(
    `Inbox (${messages.length})`,
    `<section class="toolbar">${smtp}${empty}</section>
<p class="count">${count}</p>
${list}`,
  );
}

function renderInboxItem(message: CaughtMessage, timeZone: string | undefined): string {
  const body = message.html
    ? `${htmlFrame(message)}${message.text ? `<details><summary>Plain text</summary><pre>${linkify(message.text)}</pre></details>` : ""}`
    : message.text
      ? `<pre>${linkify(message.text)}</pre>`
      : `<p class="empty">This message has no body.</p>`;
  return `<article class="message">
<header>
<h2 class="subject"><a href="/messages/${encodeURIComponent(message.id)}">${escapeHtml(message.subject || "(no subject)")}</a></h2>
<p class="meta">To <span class="to">${escapeHtml(message.to.join(", "))}</span></p>
<p class="meta">From ${escapeHtml(message.from)} · ${timeElement(message.receivedAt, timeZone)}</p>
</header>
<div class="body">${body}</div>
</article>`;
}

export function renderMessagePage(message: CaughtMessage, timeZone?: string): string {
  const meta = `<dl>
<dt>Subject</dt><dd>${escapeHtml(message.subject || "(no subject)")}</dd>
<dt>From</dt><dd>${escapeHtml(message.from)}</dd>
<dt>To</dt><dd>${escapeHtml(message.to.join(", "))}</dd>
<dt>Received</dt><dd>${timeElement(message.receivedAt, timeZone)}</dd>
<dt>JSON</dt><dd><a href="/api/messages/${encodeURIComponent(message.id)}">/api/messages/${escapeHtml(message.id)}</a></dd>
</dl>`;
  const htmlPart = message.html ? `<h2>HTML</h2>${htmlFrame(message)}` : `<h2>HTML</h2><p class="empty">This message has no HTML part.</p>`;
  const textPart = message.text
    ? `<h2>Text</h2><pre>${linkify(message.text)}</pre>`
    : `<h2>Text</h2><p class="empty">This message has no text part.</p>`;
  return layout(message.subject || "(no subject)", `<div class="standalone">${meta}${htmlPart}${textPart}</div>`);
}

export function renderNotFoundPage(): string {
  return layout("Not found", `<p class="empty">No such message (the inbox may have been emptied). <a href="/">Back to the inbox</a>.</p>`);
}

function timeElement(iso: string, timeZone: string | undefined): string {
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(formatReceivedAt(iso, timeZone))}</time>`;
}

/**
 * The HTML part, sandboxed: no scripts, forms or top navigation. Same origin only
 * so the page's script can read its height (the frame itself runs nothing).
 * Links open in a new, unsandboxed tab, keeping the inbox where it was.
 */
function htmlFrame(message: CaughtMessage): string {
  return `<iframe class="mail-html" title="${escapeHtml(`HTML part of “${message.subject || "(no subject)"}”`)}" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(withBaseTarget(message.html))}"></iframe>`;
}

/** Links without their own target open in a new tab instead of inside the frame. */
function withBaseTarget(html: string): string {
  const base = `<base target="_blank">`;
  // Inside <head> if there is one; never before the doctype, which would switch the email to quirks mode.
  const anchor = /<head\b[^>]*>/i.exec(html) ?? /<html\b[^>]*>/i.exec(html) ?? /^\s*<!doctype\b[^>]*>/i.exec(html);
  if (!anchor) return base + html;
  const end = anchor.index + anchor[0].length;
  return html.slice(0, end) + base + html.slice(end);
}

/** Escapes plain text and turns http(s) URLs into links that open in a new tab. */
function linkify(text: string): string {
  const urlPattern = /https?:\/\/[^\s<>"']+/g;
  let out = "";
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    // Trailing punctuation usually ends the sentence, not the URL.
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const start = match.index;
    out += escapeHtml(text.slice(last, start));
    out += `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return out + escapeHtml(text.slice(last));
}
