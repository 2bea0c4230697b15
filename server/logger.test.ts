import { afterEach, describe, expect, it, vi } from "vitest";
import { log, redact } from "@/server/logger";

afterEach(() => vi.restoreAllMocks());

describe("redact", () => {
  it.each([
    "password",
    "currentPassword",
    "newPassword",
    "token",
    "tokenHash",
    "passwordHash",
    "secret",
    "NEXTAUTH_SECRET",
    "authorization",
    "Authorization",
    "cookie",
    "set-cookie",
    "x-signature",
  ])("hides the value of a %s key", (key) => {
    expect(redact({ [key]: "s3cr3t-value" })).toEqual({ [key]: "[redacted]" });
  });

  it("hides secrets whatever their type, objects included", () => {
    expect(redact({ token: { value: "abc" }, password: 12345678 })).toEqual({ token: "[redacted]", password: "[redacted]" });
  });

  it("keeps everything else as it was", () => {
    const context = { requestId: "r1", userId: "u1", count: 3, ok: true, missing: null, to: "n***@example.com" };
    expect(redact(context)).toEqual(context);
  });

  it.each([
    ["http://localhost:3000/email/confirm?token=AbC123_-xyz", "http://localhost:3000/email/confirm?token=[redacted]"],
    ["/email/confirm?x=1&token=AbC123&y=2", "/email/confirm?x=1&token=[redacted]&y=2"],
    ["https://app.example/cb#code=AbC123", "https://app.example/cb#code=[redacted]"],
    ['failed to open "https://a.example/?TOKEN=AbC123" twice', 'failed to open "https://a.example/?TOKEN=[redacted]" twice'],
  ])("hides a token in a URL in any string: %s", (input, expected) => {
    expect(redact(input)).toBe(expected);
    expect(redact({ url: input })).toEqual({ url: expected });
  });

  it("looks inside nested objects and arrays", () => {
    const context = {
      request: { body: { email: "a@example.com", password: "hunter22" }, links: [{ url: "/c?token=AbC" }, "/c?token=Def"] },
    };
    expect(redact(context)).toEqual({
      request: { body: { email: "a@example.com", password: "[redacted]" }, links: [{ url: "/c?token=[redacted]" }, "/c?token=[redacted]"] },
    });
  });

  it("turns an Error into its name, message and stack, with tokens hidden", () => {
    const error = new TypeError("fetch failed for http://x.example/confirm?token=AbC123");
    const redacted = redact({ error }) as { error: { name: string; message: string; stack: string } };
    expect(redacted.error.name).toBe("TypeError");
    expect(redacted.error.message).toBe("fetch failed for http://x.example/confirm?token=[redacted]");
    expect(redacted.error.stack).toContain("token=[redacted]");
    expect(JSON.stringify(redacted)).not.toContain("AbC123");
  });

  it("stops at a depth limit rather than walking forever", () => {
    let deep: Record<string, unknown> = { password: "x" };
    for (let i = 0; i < 10; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain("[deep]");
    expect(JSON.stringify(redact(deep))).not.toContain('"x"');
  });
});

describe("log", () => {
  it("writes one JSON line with the context redacted", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);

    log.error("sign-in failed", { phone: "+9779810578899", password: "hunter22", url: "/email/confirm?token=AbC123" });

    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0]![0]);
    expect(line.endsWith("\n")).toBe(true);
    expect(JSON.parse(line)).toMatchObject({
      level: "error",
      message: "sign-in failed",
      password: "[redacted]",
      url: "/email/confirm?token=[redacted]",
    });
    expect(line).not.toContain("hunter22");
    expect(line).not.toContain("AbC123");
  });
});
