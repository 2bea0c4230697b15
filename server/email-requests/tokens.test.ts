import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rules } from "@/lib/rules";
import { confirmUrl, hashLinkToken, isWellFormedToken, newLinkToken } from "@/server/email-requests/tokens";
import { env } from "@/server/env";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("newLinkToken", () => {
  it(`is ${rules.linkTokenBytes} random bytes in base64url (no padding), with its hash`, () => {
    const { token, tokenHash } = newLinkToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(rules.linkTokenBytes);
    expect(Buffer.from(token, "base64url").toString("base64url")).toBe(token);
    expect(tokenHash).toBe(hashLinkToken(token));
  });

  it("never repeats", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newLinkToken().token));
    expect(tokens.size).toBe(1000);
  });
});

describe("isWellFormedToken", () => {
  it("accepts what newLinkToken makes", () => {
    for (let i = 0; i < 100; i++) expect(isWellFormedToken(newLinkToken().token)).toBe(true);
  });

  it.each([
    ["not a string", 42],
    ["null", null],
    ["an object", { token: newLinkToken().token }],
    ["empty", ""],
    ["one character short", newLinkToken().token.slice(1)],
    ["one character long", `${newLinkToken().token}A`],
    ["base64 rather than base64url", `${newLinkToken().token.slice(1)}+`],
    ["with padding", `${newLinkToken().token.slice(1)}=`],
    ["with a space", ` ${newLinkToken().token.slice(1)}`],
    ["with a URL-encoded character", `%2F${newLinkToken().token.slice(3)}`],
  ])("rejects %s", (_name, value) => {
    expect(isWellFormedToken(value)).toBe(false);
  });
});

describe("hashLinkToken", () => {
  it("is HMAC-SHA256 under TOKEN_HMAC_SECRET, hex: the same token always finds the same row", () => {
    const { token } = newLinkToken();
    expect(hashLinkToken(token)).toBe(createHmac("sha256", env.TOKEN_HMAC_SECRET).update(token).digest("hex"));
    expect(hashLinkToken(token)).toBe(hashLinkToken(token));
    expect(hashLinkToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkToken(token)).not.toBe(hashLinkToken(newLinkToken().token));
  });

  it("depends on the secret: rotating it voids every outstanding link", async () => {
    const { token } = newLinkToken();
    const before = hashLinkToken(token);

    vi.stubEnv("TOKEN_HMAC_SECRET", "another-secret-of-at-least-32-characters!");
    vi.resetModules();
    const rotated = await import("@/server/email-requests/tokens");

    expect(rotated.hashLinkToken(token)).not.toBe(before);
  });
});

describe("confirmUrl", () => {
  it("is the app's link-landing page with the token as its only query parameter", () => {
    const { token } = newLinkToken();
    const url = new URL(confirmUrl(token));
    expect(url.origin).toBe(new URL(env.APP_URL).origin);
    expect(url.pathname).toBe("/email/confirm");
    expect([...url.searchParams]).toEqual([["token", token]]);
  });
});
