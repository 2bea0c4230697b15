import net from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMailCatcher, type CaughtMessage, type MailCatcher } from "./catcher";

let catcher: MailCatcher;
let transport: nodemailer.Transporter;

function port(url: string): number {
  return Number(new URL(url).port);
}

async function api(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, catcher.inboxUrl), init);
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
});

describe("mail catcher pages", () => {
  const evilSubject = `<script>alert("s")</script><img src=x onerror=alert(1)>`;

  it("lists messages newest first and escapes every field", async () => {
    await send({ to: "older@example.com", subject: "Older message", text: "x" });
    await send({ to: "evil@example.com", subject: evilSubject, text: "x" });
    const res = await api("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain("&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page.indexOf("&lt;script&gt;")).toBeLessThan(page.indexOf("Older message"));
    expect(page).toContain('name="viewport"');
  });

  it("shows a message with its HTML in a script-less sandbox and its text with clickable links", async () => {
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
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<b>not bold</b>");
    expect(page).toContain("&lt;b&gt;not bold&lt;/b&gt;");

    const iframe = /<iframe\b[^>]*>/.exec(page)?.[0] ?? "";
    const sandbox = /sandbox="([^"]*)"/.exec(iframe)?.[1] ?? "";
    expect(sandbox.split(" ")).toContain("allow-top-navigation-by-user-activation");
    expect(sandbox).not.toContain("allow-scripts");
    expect(sandbox).not.toContain("allow-same-origin");
    const srcdoc = /srcdoc="([^"]*)"/.exec(iframe)?.[1] ?? "";
    expect(srcdoc).toContain("&lt;base target=&quot;_top&quot;&gt;");
    expect(srcdoc).toContain("tok123");

    // The text part's link is clickable and opens in the top window.
    expect(page).toContain(`<a href="${link.replace("&", "&amp;")}" target="_top">`);
  });

  it("answers 404 for an unknown message page", async () => {
    expect((await api("/messages/nope")).status).toBe(404);
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
