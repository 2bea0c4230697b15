import { createHash } from "node:crypto";
import http from "node:http";
import net from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMailCatcher, type CaughtMessage, type MailCatcher } from "./index";

let catcher: MailCatcher;
let transport: nodemailer.Transporter;

function port(url: string): number {
  return Number(new URL(url).port);
}

/** A request as a program makes it: state changes say they are JSON (see the refusals tested below). */
async function api(path: string, init?: RequestInit): Promise<Response> {
  const method = init?.method ?? "GET";
  const headers = new Headers(init?.headers);
  if (method !== "GET" && method !== "HEAD" && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(new URL(path, catcher.inboxUrl), { ...init, headers });
}

async function messages(to?: string): Promise<CaughtMessage[]> {
  const res = await api(to === undefined ? "/api/messages" : `/api/messages?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as CaughtMessage[];
}

function send(mail: nodemailer.SendMailOptions) {
  return transport.sendMail({ from: '"Wallet" <no-reply@wallet.test>', ...mail });
}

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: port(catcher.smtpUrl),
    secure: false,
    ignoreTLS: true,
  });
});

afterAll(async () => {
  transport.close();
  await catcher.stop();
});

beforeEach(async () => {
  const res = await api("/api/messages", { method: "DELETE" });
  expect(res.status).toBe(200);
});

describe("mail catcher API", () => {
  it("reports real loopback URLs for the ports it bound", () => {
    expect(catcher.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    expect(catcher.inboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(port(catcher.smtpUrl)).toBeGreaterThan(0);
  });

  it("stores a parsed message with every field", async () => {
    await send({
      to: "asha@example.com",
      subject: "Confirm your email address",
      text: "Open https://app.test/email/confirm?token=abc",
      html: '<p><a href="https://app.test/email/confirm?token=abc">Confirm</a></p>',
    });
    const [message, ...rest] = await messages();
    expect(rest).toHaveLength(0);
    expect(message).toMatchObject({
      from: "Wallet <no-reply@wallet.test>",
      to: ["asha@example.com"],
      subject: "Confirm your email address",
    });
    expect(message?.text).toContain("https://app.test/email/confirm?token=abc");
    expect(message?.html).toContain('href="https://app.test/email/confirm?token=abc"');
    expect(Object.keys(message ?? {}).sort()).toEqual(["from", "html", "id", "receivedAt", "subject", "text", "to"]);
    expect(new Date(message?.receivedAt ?? "").toString()).not.toBe("Invalid Date");
  });

  it("filters by recipient case-insensitively, on any recipient, newest first", async () => {
    await send({ to: "first@example.com", subject: "one", text: "1" });
    await send({ to: "second@example.com", subject: "two", text: "2" });
    await send({ to: ["first@example.com", "third@example.com"], bcc: "hidden@example.com", subject: "three", text: "3" });

    expect((await messages()).map((m) => m.subject)).toEqual(["three", "two", "one"]);
    expect((await messages("FIRST@Example.COM")).map((m) => m.subject)).toEqual(["three", "one"]);
    expect((await messages("  third@example.com ")).map((m) => m.subject)).toEqual(["three"]);
    // Envelope recipients count, so a Bcc'd address finds its copy.
    expect((await messages("hidden@example.com")).map((m) => m.subject)).toEqual(["three"]);
    expect(await messages("nobody@example.com")).toEqual([]);
    // Substrings are not matches: "first" is not a recipient.
    expect(await messages("irst@example.com")).toEqual([]);
  });

  it("returns one message by id and a JSON 404 for an unknown id", async () => {
    await send({ to: "one@example.com", subject: "by id", text: "x" });
    const [listed] = await messages("one@example.com");
    const res = await api(`/api/messages/${listed?.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(listed);

    const missing = await api("/api/messages/does-not-exist");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("empties the inbox on DELETE", async () => {
    await send({ to: "a@example.com", subject: "a", text: "a" });
    await send({ to: "b@example.com", subject: "b", text: "b" });
    const res = await api("/api/messages", { method: "DELETE" });
    expect(await res.json()).toEqual({ deleted: 2 });
    expect(await messages()).toEqual([]);
  });

  it("rejects mail with a temporary 451 while down, and accepts it again when up", async () => {
    expect((await api("/api/smtp/down", { method: "POST" })).status).toBe(200);
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "down" });
    const failure = await send({ to: "retry@example.com", subject: "while down", text: "x" }).then(
      () => undefined,
      (error: unknown) => error as { responseCode?: number },
    );
    expect(failure?.responseCode).toBe(451);
    expect(await messages("retry@example.com")).toEqual([]);

    expect((await api("/api/smtp/up", { method: "POST" })).status).toBe(200);
    await send({ to: "retry@example.com", subject: "after up", text: "x" });
    expect((await messages("retry@example.com")).map((m) => m.subject)).toEqual(["after up"]);
  });

  it("answers 405 for a wrong method and does not toggle on GET", async () => {
    expect((await api("/api/smtp/down")).status).toBe(405);
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "up" });
    expect((await api("/api/messages", { method: "POST" })).status).toBe(405);
  });

  it.each([
    ["POST", "/api/messages", "GET, HEAD, DELETE"],
    ["PUT", "/api/messages", "GET, HEAD, DELETE"],
    ["DELETE", "/api/messages/some-id", "GET, HEAD"],
    ["GET", "/api/smtp/down", "POST"],
    ["POST", "/api/smtp", "GET, HEAD"],
    ["DELETE", "/", "GET, HEAD"],
    ["GET", "/empty", "POST"],
  ])("answers %s %s with a JSON 405 and Allow: %s", async (method, path, allow) => {
    const res = await api(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: expect.stringContaining(allow) } });
  });

  it.each(["/api", "/api/nothing", "/api/messages/a/b", "/api/smtp/sideways", "/favicon.ico", "/messages"])(
    "answers an unknown path %s with a JSON 404",
    async (path) => {
      const res = await api(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
    },
  );

  it("answers HEAD like GET, without a body", async () => {
    const res = await api("/api/messages", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.text()).toBe("");
  });

  it("ignores a trailing slash", async () => {
    expect(await (await api("/api/smtp/")).json()).toEqual({ smtp: "up" });
  });

  it("refuses changes a browser sends from another site, and leaves the state alone", async () => {
    await send({ to: "keep@example.com", subject: "keep", text: "x" });
    const foreign: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site" },
      // Another port on localhost (the app) is the same site, still not this origin.
      { "Sec-Fetch-Site": "same-site" },
      // Browsers without Fetch Metadata still send Origin.
      { Origin: "https://evil.test" },
    ];
    for (const headers of foreign) {
      for (const [method, path] of [
        ["DELETE", "/api/messages"],
        ["POST", "/api/smtp/down"],
        ["POST", "/empty"],
        ["POST", "/smtp/down"],
      ] as const) {
        const res = await api(path, { method, headers, redirect: "manual" });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: "CROSS_SITE" } });
      }
    }
    expect((await messages()).map((m) => m.subject)).toEqual(["keep"]);
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "up" });
    // Reading stays open to everyone, and the page's own forms are same-origin.
    expect((await api("/api/messages", { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(200);
    const own = await api("/smtp/down", { method: "POST", headers: { "Sec-Fetch-Site": "same-origin" }, redirect: "manual" });
    expect(own.status).toBe(303);
    await api("/api/smtp/up", { method: "POST" });
  });
});

describe("mail catcher on a developer's machine", () => {
  function raw(options: { method: string; path: string; headers?: Record<string, string> }): Promise<number> {
    const url = new URL(catcher.inboxUrl);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, agent: false, ...options }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("refuses a Host that is not loopback (DNS rebinding) on every request, and accepts loopback ones", async () => {
    for (const host of ["evil.example", "evil.example:1080", "10.0.0.1"]) {
      expect(await raw({ method: "GET", path: "/api/messages", headers: { host } }), host).toBe(403);
      expect(await raw({ method: "POST", path: "/api/smtp/down", headers: { host, "content-type": "application/json" } }), host).toBe(403);
    }
    for (const host of ["127.0.0.1", "localhost:1080", "[::1]:9"]) {
      expect(await raw({ method: "GET", path: "/api/messages", headers: { host } }), host).toBe(200);
    }
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "up" });
  });

  it("takes state changes only as JSON or as a same-origin form", async () => {
    await send({ to: "stay@example.com", subject: "stay", text: "x" });
    for (const type of [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const headers: Record<string, string> = type ? { "content-type": type } : {};
      expect(await raw({ method: "DELETE", path: "/api/messages", headers }), String(type)).toBe(415);
      expect(await raw({ method: "POST", path: "/api/smtp/down", headers }), String(type)).toBe(415);
      expect(await raw({ method: "POST", path: "/empty", headers }), String(type)).toBe(415);
    }
    expect((await messages()).map((m) => m.subject)).toEqual(["stay"]);
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "up" });
    const host = new URL(catcher.inboxUrl).host;
    const form = { "content-type": "application/x-www-form-urlencoded", origin: `http://${host}`, host };
    expect(await raw({ method: "POST", path: "/empty", headers: form })).toBe(303);
    expect(await messages()).toEqual([]);
  });
});

describe("mail catcher pages", () => {
  const evilSubject = `<script>alert("s")</script><img src=x onerror=alert(1)>`;

  /** The page's own script is its only one, in <head>, and the CSP allows exactly it. */
  function expectOnlyOwnScript(res: Response, page: string) {
    const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(1);
    expect(page.indexOf("<script")).toBeLessThan(page.indexOf("</head>"));
    const hash = createHash("sha256")
      .update(scripts[0]?.[1] ?? "")
      .digest("base64");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  }

  function frames(page: string): string[] {
    return [...page.matchAll(/<iframe\b[^>]*>/g)].map((m) => m[0]);
  }

  function attribute(tag: string, name: string): string | undefined {
    return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  }

  it("lists messages newest first with recipients and a readable time, escaping every field", async () => {
    await send({ to: ["older@example.com", "cc-like@example.com"], subject: "Older message", text: "x" });
    await send({ to: "evil@example.com", subject: evilSubject, text: "x" });
    const res = await api("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const page = await res.text();
    expectOnlyOwnScript(res, page);
    expect(page).toContain("&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(page).not.toContain("<img");
    expect(page.indexOf("&lt;script&gt;")).toBeLessThan(page.indexOf("Older message"));
    expect(page).toContain('name="viewport"');
    expect(page).toContain("2 messages, newest first.");

    expect(page).toContain('To <span class="to">older@example.com, cc-like@example.com</span>');
    const [newest] = await messages("evil@example.com");
    const time = new RegExp(`<time datetime="${newest?.receivedAt}"[^>]*>([^<]+)</time>`).exec(page)?.[1] ?? "";
    // Day, month name, year and a clock time, not the raw ISO string.
    expect(time).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} \S+$/);
  });

  it("renders each message's HTML in a full-height, script-less sandbox whose links open a new tab", async () => {
    const link = "https://app.test/email/confirm?token=tok123&x=1";
    await send({
      to: "reader@example.com",
      subject: "With HTML",
      text: `Confirm: ${link}`,
      html: `<!doctype html><html><head><title>t</title></head><body><a href="${link.replace("&", "&amp;")}">Confirm</a><script>alert(2)</script></body></html>`,
    });
    await send({ to: "plain@example.com", subject: "Text only", text: "Just text <b>not bold</b>" });
    const res = await api("/");
    const page = await res.text();
    expectOnlyOwnScript(res, page);

    // One frame: the text-only message is shown as escaped text.
    const [frame, ...more] = frames(page);
    expect(more).toHaveLength(0);
    expect(attribute(frame ?? "", "class")).toBe("mail-html");
    expect(
      attribute(frame ?? "", "sandbox")
        ?.split(" ")
        .sort(),
    ).toEqual(["allow-popups", "allow-popups-to-escape-sandbox", "allow-same-origin"]);
    expect(frame).not.toMatch(/scrolling=|height=/);
    const srcdoc = attribute(frame ?? "", "srcdoc") ?? "";
    expect(srcdoc.startsWith("&lt;!doctype html&gt;&lt;html&gt;&lt;head&gt;&lt;base target=&quot;_blank&quot;&gt;&lt;title&gt;")).toBe(
      true,
    );
    expect(srcdoc).toContain("tok123");
    expect(page).toContain("Just text &lt;b&gt;not bold&lt;/b&gt;");

    // The page's script sizes every message frame to its document on load.
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
    for (const part of ['addEventListener("load"', '"mail-html"', "scrollHeight", "style.height"]) expect(script).toContain(part);
    // The plain-text alternative is a click away, its link clickable in a new tab.
    expect(page).toContain(
      `<summary>Plain text</summary><pre>Confirm: <a href="${link.replace("&", "&amp;")}" target="_blank" rel="noopener noreferrer">`,
    );
  });

  it("shows one message with its HTML frame and its text with clickable links", async () => {
    const link = "https://app.test/email/confirm?token=tok123&x=1";
    await send({
      to: "reader@example.com",
      subject: evilSubject,
      text: `Confirm: ${link}\n<b>not bold</b>`,
      html: `<html><head></head><body><a href="${link.replace("&", "&amp;")}">Confirm</a><script>alert(2)</script></body></html>`,
    });
    const [message] = await messages("reader@example.com");
    const res = await api(`/messages/${message?.id}`);
    expect(res.status).toBe(200);
    const page = await res.text();

    // Nothing from the message is live markup in the page itself.
    expectOnlyOwnScript(res, page);
    expect(page).not.toContain("<b>not bold</b>");
    expect(page).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(page).toContain(`<time datetime="${message?.receivedAt}"`);

    const [frame] = frames(page);
    const sandbox = attribute(frame ?? "", "sandbox") ?? "";
    expect(sandbox).not.toContain("allow-scripts");
    expect(sandbox).not.toContain("allow-top-navigation");
    expect(attribute(frame ?? "", "srcdoc")).toContain("&lt;head&gt;&lt;base target=&quot;_blank&quot;&gt;&lt;/head&gt;");

    expect(page).toContain(`<a href="${link.replace("&", "&amp;")}" target="_blank" rel="noopener noreferrer">`);
  });

  it("answers an HTML 404 for an unknown message page", async () => {
    const res = await api("/messages/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("No such message");
  });

  it("empties the inbox from its button and comes back to it", async () => {
    await send({ to: "a@example.com", subject: "to be emptied", text: "x" });
    const before = await (await api("/")).text();
    expect(before).toMatch(/<form method="post" action="\/empty"><button type="submit" class="danger">Empty inbox<\/button><\/form>/);

    const res = await api("/empty", { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect(await messages()).toEqual([]);
    const after = await (await api("/")).text();
    expect(after).toContain("No messages yet.");
    expect(after).toContain('class="danger" disabled>Empty inbox');
  });

  it("shows the SMTP switch and flips it from the page", async () => {
    expect(await (await api("/")).text()).toMatch(/SMTP is <strong>up<\/strong>[\s\S]*action="\/smtp\/down"/);

    const down = await api("/smtp/down", { method: "POST", redirect: "manual" });
    expect(down.status).toBe(303);
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "down" });
    expect(await (await api("/")).text()).toMatch(/SMTP is <strong>down<\/strong>[^<]*451[\s\S]*action="\/smtp\/up"/);

    expect((await api("/smtp/up", { method: "POST", redirect: "manual" })).status).toBe(303);
    expect(await (await api("/api/smtp")).json()).toEqual({ smtp: "up" });
  });
});

describe("mail catcher lifecycle", () => {
  it("keeps only the newest messages beyond its cap", async () => {
    const small = await startMailCatcher({ smtpPort: 0, httpPort: 0, maxMessages: 2 });
    const t = nodemailer.createTransport({ host: "127.0.0.1", port: port(small.smtpUrl), secure: false, ignoreTLS: true });
    try {
      for (const subject of ["1", "2", "3"]) await t.sendMail({ from: "a@b.test", to: "c@d.test", subject, text: subject });
      const list = (await (await fetch(`${small.inboxUrl}/api/messages`)).json()) as CaughtMessage[];
      expect(list.map((m) => m.subject)).toEqual(["3", "2"]);
    } finally {
      t.close();
      await small.stop();
    }
  });

  it("fails with a clear message when a port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startMailCatcher({ smtpPort: taken, httpPort: 0 })).rejects.toThrow(
        `Mail catcher (SMTP) cannot start: 127.0.0.1:${taken} is already in use`,
      );
      await expect(startMailCatcher({ smtpPort: 0, httpPort: taken })).rejects.toThrow(
        `Mail catcher (inbox HTTP) cannot start: 127.0.0.1:${taken} is already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("releases both ports on stop", async () => {
    const temp = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    await temp.stop();
    await expect(fetch(`${temp.inboxUrl}/api/messages`)).rejects.toThrow();
    const again = await startMailCatcher({ smtpPort: port(temp.smtpUrl), httpPort: port(temp.inboxUrl) });
    await again.stop();
  });
});
