import { afterEach, describe, expect, it, vi } from "vitest";
import { log, redact, sdkLogger } from "@/server/logger";

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
      request: {
        body: { email: "a***@example.com", password: "[redacted]" },
        links: [{ url: "/c?token=[redacted]" }, "/c?token=[redacted]"],
      },
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

  // SMTP servers and Prisma put the addresses they choke on into their error
  // text (a 550 for "<ram.thapa@example.com>", a unique violation's detail);
  // logs keep the masked form only.
  it.each([
    ["550 5.1.1 <ram.thapa@example.com>: Recipient address rejected", "550 5.1.1 <r***@example.com>: Recipient address rejected"],
    ["Key (email)=(sita+wallet@mail.example.org) already exists.", "Key (email)=(s***@mail.example.org) already exists."],
    ['to: "First.Last@Example.COM", cc: a@b.co', 'to: "F***@Example.COM", cc: a***@b.co'],
  ])("masks full addresses in any string: %s", (input, expected) => {
    expect(redact(input)).toBe(expected);
    expect(redact({ error: new Error(input) })).toMatchObject({ error: { message: expected } });
  });

  it("leaves an already masked address as it is", () => {
    expect(redact("sent to n***@example.com")).toBe("sent to n***@example.com");
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

    log.error("sign-in failed", {
      phone: "+9779810578899",
      password: "hunter22",
      url: "/email/confirm?token=AbC123",
      error: "550 <sita.sharma@example.com> unknown",
    });

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
    expect(line).not.toContain("sita.sharma@");
  });
});

describe("sdkLogger", () => {
  const lines = () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    return () => write.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
  };

  it("takes the SDK's Pino-style calls, fields first, with the child's bindings, and redacts them", () => {
    const written = lines();
    sdkLogger()
      .child({ runID: "run-1" })
      .error({ err: new Error("550 <sita.sharma@example.com> unknown") }, "Inngest step error");
    expect(written()).toEqual([
      expect.objectContaining({
        level: "error",
        message: "Inngest step error",
        source: "inngest",
        runID: "run-1",
        err: expect.objectContaining({ message: "550 <s***@example.com> unknown" }),
      }),
    ]);
  });

  it("takes a message first, redacting the message itself and what follows it", () => {
    const written = lines();
    sdkLogger().warn("could not reach ram@example.com", { token: "AbC123" });
    expect(written()).toEqual([
      expect.objectContaining({ level: "warn", message: "could not reach r***@example.com", args: [{ token: "[redacted]" }] }),
    ]);
  });
});
