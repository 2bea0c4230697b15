import { describe, expect, it } from "vitest";
import { escapeHtml, formatReceivedAt, INBOX_PAGE_LIMIT, renderInboxPage, renderMessagePage } from "./pages";
import type { CaughtMessage } from "./store";

function message(overrides: Partial<CaughtMessage> = {}): CaughtMessage {
  return {
    id: "id-1",
    from: "Wallet <no-reply@wallet.test>",
    to: ["asha@example.com"],
    subject: "Hello",
    text: "",
    html: "<p>Hi</p>",
    receivedAt: "2026-11-23T14:05:09.123Z",
    ...overrides,
  };
}

function srcdoc(page: string): string {
  const escaped = /srcdoc="([^"]*)"/.exec(page)?.[1] ?? "";
  return escaped
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("formatReceivedAt", () => {
  it("gives date, time and zone in words a person reads", () => {
    expect(formatReceivedAt("2026-11-23T14:05:09.123Z", "UTC")).toBe("23 Nov 2026, 14:05:09 UTC");
    expect(formatReceivedAt("2026-07-01T23:30:00.000Z", "Europe/Berlin")).toBe("2 Jul 2026, 01:30:00 CEST");
  });

  it("keeps a value it cannot read as it is", () => {
    expect(formatReceivedAt("not a date", "UTC")).toBe("not a date");
  });
});

describe("the inbox page", () => {
  it("shows every recipient and the readable time next to the machine one", () => {
    const page = renderInboxPage([message({ to: ["a@example.com", "b@example.com"] })], { smtpDown: false, timeZone: "UTC" });
    expect(page).toContain('To <span class="to">a@example.com, b@example.com</span>');
    expect(page).toContain('<time datetime="2026-11-23T14:05:09.123Z" title="2026-11-23T14:05:09.123Z">23 Nov 2026, 14:05:09 UTC</time>');
  });

  it("renders full bodies for the newest messages only and says where the rest are", () => {
    const many = Array.from({ length: INBOX_PAGE_LIMIT + 3 }, (_, i) => message({ id: `m${i}`, subject: `S${i}` }));
    const page = renderInboxPage(many, { smtpDown: false });
    expect(page.match(/<article class="message">/g)).toHaveLength(INBOX_PAGE_LIMIT);
    expect(page).toContain(`Showing the newest ${INBOX_PAGE_LIMIT} of ${INBOX_PAGE_LIMIT + 3} messages`);
    expect(page).toContain(">S0<");
    expect(page).not.toContain(`>S${INBOX_PAGE_LIMIT}<`);
  });

  it("says when a message has no body at all", () => {
    expect(renderInboxPage([message({ html: "", text: "" })], { smtpDown: false })).toContain("This message has no body.");
  });
});

describe("the message frame", () => {
  it.each([
    [
      "inside <head>",
      "<!doctype html><html><head><title>t</title></head><body>x</body></html>",
      '<!doctype html><html><head><base target="_blank"><title>',
    ],
    [
      "inside <html> without a head",
      '<!DOCTYPE html><html lang="en"><body>x</body></html>',
      '<!DOCTYPE html><html lang="en"><base target="_blank"><body>',
    ],
    ["after a lone doctype", "<!doctype html><p>x</p>", '<!doctype html><base target="_blank"><p>'],
    ["first in a fragment", "<p>x</p>", '<base target="_blank"><p>'],
  ])("opens links in a new tab with a <base> %s", (_where, html, start) => {
    expect(srcdoc(renderMessagePage(message({ html })))).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  it("keeps the email's own attribute quoting intact through srcdoc escaping", () => {
    const html = `<p title='it"s'>&amp; <a href="https://x.test/?a=1&amp;b=2">go</a></p>`;
    expect(srcdoc(renderMessagePage(message({ html })))).toBe(`<base target="_blank">${html}`);
  });

  it("escapes the subject in the frame's title", () => {
    const page = renderMessagePage(message({ subject: `"><script>x</script>` }));
    expect(page).toContain(`title="HTML part of “${escapeHtml(`"><script>x</script>`)}”"`);
  });
});
