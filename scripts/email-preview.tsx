// `npm run email:preview`: every email template rendered with its PreviewProps,
// as HTML, as plain text and in a 360px-wide frame. For live reload on edits run
// `npx tsx watch scripts/email-preview.tsx` instead.
import http from "node:http";
import { parseArgs } from "node:util";
import { emailTemplateNames, emailTemplates, renderEmailTemplate, type EmailTemplateName } from "../emails/render";
import { assertPortFree } from "./lib/ports";

const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" } } });
const host = values.host ?? "127.0.0.1";
const port = Number(values.port ?? 3400);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}".`);
  process.exit(2);
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const isTemplate = (name: string): name is EmailTemplateName => (emailTemplateNames as string[]).includes(name);

function render(name: EmailTemplateName) {
  // Rendered per request so the output always matches the code that is loaded.
  return renderEmailTemplate(name, emailTemplates[name].previewProps as never);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6}
header{background:#4c1d95;color:#fff;padding:12px 16px}
header a{color:#fff}
main{padding:12px;max-width:1200px;margin:0 auto}
ul{padding-left:20px}
li{margin:0 0 12px}
.views{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.view{flex:1 1 420px;min-width:0}
.view.narrow{flex:0 0 auto}
iframe{border:1px solid #d1d5db;border-radius:8px;background:#fff;height:760px;width:100%}
.narrow iframe{width:360px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d1d5db;border-radius:8px;padding:12px;font-size:14px}
code{background:#e5e7eb;padding:1px 4px;border-radius:4px}
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><a href="/">Email templates</a></header><main>${body}</main></body></html>`;
}

async function indexPage(): Promise<string> {
  const items = emailTemplateNames
    .map((name) => {
      const n = encodeURIComponent(name);
      return `<li><a href="/t/${n}"><strong>${escapeHtml(name)}</strong></a> — “${escapeHtml(emailTemplates[name].subject)}”<br>
<a href="/t/${n}/html">HTML</a> · <a href="/t/${n}/text">text</a> · <a href="/t/${n}#narrow">360px</a></li>`;
    })
    .join("");
  return page("Email templates", `<h1>Email templates</h1><p>Each rendered with its <code>PreviewProps</code>.</p><ul>${items}</ul>`);
}

async function templatePage(name: EmailTemplateName): Promise<string> {
  const { subject, text } = await render(name);
  const n = encodeURIComponent(name);
  return page(
    name,
    `<h1>${escapeHtml(name)}</h1>
<p>Subject: <strong>${escapeHtml(subject)}</strong> · <a href="/t/${n}/html">open HTML</a> · <a href="/t/${n}/text">open text</a></p>
<div class="views">
<section class="view narrow" id="narrow"><h2>360px</h2><iframe title="${escapeHtml(name)} at 360px" src="/t/${n}/html"></iframe></section>
<section class="view"><h2>Full width</h2><iframe title="${escapeHtml(name)}" src="/t/${n}/html"></iframe></section>
</div>
<h2>Text part</h2><pre>${escapeHtml(text)}</pre>`,
  );
}

function send(res: http.ServerResponse, status: number, type: string, body: string, extra: http.OutgoingHttpHeaders = {}) {
  res.writeHead(status, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-store", ...extra });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://preview.local").pathname;
  const handle = async () => {
    if (path === "/") return send(res, 200, "text/html", await indexPage());
    const match = /^\/t\/([^/]+)(?:\/(html|text))?$/.exec(path);
    const name = match ? decodeURIComponent(match[1] ?? "") : "";
    if (!match || !isTemplate(name)) return send(res, 404, "text/html", page("Not found", "<p>No such template.</p>"));
    if (match[2] === "html") {
      // Emails never run scripts; the preview should not either.
      return send(res, 200, "text/html", (await render(name)).html, {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:",
      });
    }
    if (match[2] === "text") return send(res, 200, "text/plain", (await render(name)).text);
    return send(res, 200, "text/html", await templatePage(name));
  };
  handle().catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, "text/plain", `Rendering failed:\n${error instanceof Error ? error.stack : String(error)}`);
    else res.end();
  });
});

try {
  if (port !== 0) await assertPortFree(port, "Email preview", host);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const address = server.address();
const actualPort = typeof address === "object" && address ? address.port : port;
console.log(`Email preview: http://${host}:${actualPort}  (Ctrl-C to stop)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
