import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";

const SECRET = "a-production-secret-of-32-chars!";
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/wallet",
  APP_URL: "https://wallet.example",
  NEXTAUTH_SECRET: SECRET,
  TOKEN_HMAC_SECRET: `${SECRET}x`,
  AUDIT_PSEUDONYM_SECRET: `${SECRET}y`,
  SMTP_URL: "smtps://user:pw@smtp.example.com:465",
};

const messageOf = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the environment to be refused");
};

describe("parseEnv", () => {
  it("needs nothing set for development: every service has a local default", () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe("development");
    expect(new URL(env.DATABASE_URL).hostname).toBe("127.0.0.1");
    expect(env.SMTP_URL).toMatch(/^smtp:\/\/127\.0\.0\.1:/);
    expect(env.TOKEN_HMAC_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("takes what is given over the defaults", () => {
    expect(parseEnv({ LOG_LEVEL: "warn", APP_URL: "http://127.0.0.1:3100" })).toMatchObject({
      LOG_LEVEL: "warn",
      APP_URL: "http://127.0.0.1:3100",
    });
  });

  it("accepts a complete production configuration", () => {
    expect(parseEnv(production)).toMatchObject({
      NODE_ENV: "production",
      APP_URL: "https://wallet.example",
      TOKEN_HMAC_SECRET: `${SECRET}x`,
    });
  });

  it("production has no defaults: every missing variable is named, in one message", () => {
    const message = messageOf({ NODE_ENV: "production" });
    for (const name of ["DATABASE_URL", "APP_URL", "NEXTAUTH_SECRET", "TOKEN_HMAC_SECRET", "AUDIT_PSEUDONYM_SECRET", "SMTP_URL"])
      expect(message).toContain(name);
    expect(message).toMatch(/NEXTAUTH_SECRET: NEXTAUTH_SECRET is required in production/);
    expect(message).toContain(".env.example");
  });

  it.each(["NEXTAUTH_SECRET", "TOKEN_HMAC_SECRET", "AUDIT_PSEUDONYM_SECRET"])(
    "production refuses a %s shorter than 32 characters, without echoing it",
    (name) => {
      const short = "short-but-real-secret-31-chars!";
      expect(short).toHaveLength(31);
      const message = messageOf({ ...production, [name]: short });
      expect(message).toContain(`${name} must be at least 32 characters`);
      expect(message).not.toContain(short);
      expect(() => parseEnv({ ...production, [name]: `${short}!` })).not.toThrow();
    },
  );

  it.each([
    ["DATABASE_URL", "mysql://db.internal/wallet", "DATABASE_URL must be a postgresql:// URL"],
    ["DATABASE_URL", "not a url", "DATABASE_URL must be a postgresql:// URL"],
    ["APP_URL", "ftp://wallet.example", "APP_URL must be an http(s) URL"],
    ["SMTP_URL", "http://smtp.example.com", "SMTP_URL must be an smtp:// or smtps:// URL"],
  ])("names a bad %s (%s), in development too", (name, value, expected) => {
    expect(messageOf({ ...production, [name]: value })).toContain(`${name}: ${expected}`);
    expect(messageOf({ [name]: value })).toContain(`${name}: ${expected}`);
  });

  it("accepts postgres:// as well as postgresql://, and smtps://", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", SMTP_URL: "smtps://u:p@smtp.example.com:465" }),
    ).not.toThrow();
  });

  it("names an unknown LOG_LEVEL or NODE_ENV", () => {
    expect(messageOf({ LOG_LEVEL: "verbose" })).toContain("LOG_LEVEL");
    expect(messageOf({ NODE_ENV: "staging" })).toContain("NODE_ENV");
  });

  it("during `next build` production secrets are not required (they are checked when the server boots)", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("reads TRUSTED_PROXY_HOPS and CLIENT_BUDGET_SCALE, defaulting to no proxy and budgets as written", () => {
    expect(parseEnv({})).toMatchObject({ TRUSTED_PROXY_HOPS: 0, CLIENT_BUDGET_SCALE: 1 });
    expect(parseEnv({ ...production, TRUSTED_PROXY_HOPS: "2", CLIENT_BUDGET_SCALE: "50" })).toMatchObject({
      TRUSTED_PROXY_HOPS: 2,
      CLIENT_BUDGET_SCALE: 50,
    });
    expect(parseEnv({ CLIENT_BUDGET_SCALE: "0.5" }).CLIENT_BUDGET_SCALE).toBe(0.5);
  });

  it.each([
    ["TRUSTED_PROXY_HOPS", "-1"],
    ["TRUSTED_PROXY_HOPS", "1.5"],
    ["TRUSTED_PROXY_HOPS", "one"],
    ["TRUSTED_PROXY_HOPS", "11"],
    ["CLIENT_BUDGET_SCALE", "0"],
    ["CLIENT_BUDGET_SCALE", "lots"],
    ["CLIENT_BUDGET_SCALE", "1e9"],
  ])("refuses %s=%s instead of reading it as a number it is not", (name, value) => {
    expect(messageOf({ [name]: value })).toContain(name);
  });
});
