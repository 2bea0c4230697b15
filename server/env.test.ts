import { describe, expect, it } from "vitest";
import { DEV_SECRETS, E2E_SECRETS } from "@/lib/committed-secrets";
import { parseEnv } from "@/server/env";

const SECRET = "a-production-secret-of-32-chars!";
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/wallet",
  APP_URL: "https://wallet.example",
  NEXTAUTH_URL: "https://wallet.example",
  NEXTAUTH_SECRET: SECRET,
  TOKEN_HMAC_SECRET: `${SECRET}x`,
  AUDIT_PSEUDONYM_SECRET: `${SECRET}y`,
  SMTP_URL: "smtps://user:pw@smtp.example.com:465",
  INNGEST_SIGNING_KEY: "signkey-prod-0123456789abcdef",
  INNGEST_EVENT_KEY: "event-key-0123456789",
};
const local = { APP_ENV: "local" };

const messageOf = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the environment to be refused");
};

describe("parseEnv", () => {
  it("needs nothing but APP_ENV=local for development: every service has a local default", () => {
    const env = parseEnv(local);
    expect(env.NODE_ENV).toBe("development");
    expect(new URL(env.DATABASE_URL).hostname).toBe("127.0.0.1");
    expect(env.SMTP_URL).toMatch(/^smtp:\/\/127\.0\.0\.1:/);
    expect(env.TOKEN_HMAC_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("takes what is given over the defaults", () => {
    expect(parseEnv({ ...local, LOG_LEVEL: "warn", APP_URL: "http://127.0.0.1:3100" })).toMatchObject({
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

  it.each([{ NODE_ENV: "production" }, {}, { NODE_ENV: "development" }, { NODE_ENV: "test" }])(
    "without APP_ENV (%o) it is production: no defaults, every missing variable named on one line",
    (source) => {
      const message = messageOf(source);
      for (const name of [
        "DATABASE_URL",
        "APP_URL",
        "NEXTAUTH_URL",
        "NEXTAUTH_SECRET",
        "TOKEN_HMAC_SECRET",
        "AUDIT_PSEUDONYM_SECRET",
        "SMTP_URL",
        "INNGEST_SIGNING_KEY",
        "INNGEST_EVENT_KEY",
      ])
        expect(message).toContain(name);
      expect(message).toMatch(/NEXTAUTH_SECRET: NEXTAUTH_SECRET is required in production/);
      expect(message).toContain(".env.example");
      expect(message).not.toContain("\n");
    },
  );

  it("refuses an APP_ENV other than local or e2e rather than guessing", () => {
    expect(messageOf({ APP_ENV: "dev" })).toContain("APP_ENV: APP_ENV must be local or e2e");
  });

  // Each refusal: one line, starting with the variable's name.
  it.each([
    ["NEXTAUTH_SECRET", DEV_SECRETS.NEXTAUTH_SECRET, "NEXTAUTH_SECRET: NEXTAUTH_SECRET must not be a value committed to the repository"],
    ["NEXTAUTH_SECRET", E2E_SECRETS.NEXTAUTH_SECRET, "NEXTAUTH_SECRET: NEXTAUTH_SECRET must not be a value committed to the repository"],
    ["TOKEN_HMAC_SECRET", DEV_SECRETS.TOKEN_HMAC_SECRET, "TOKEN_HMAC_SECRET: TOKEN_HMAC_SECRET must not be a value committed"],
    ["TOKEN_HMAC_SECRET", E2E_SECRETS.TOKEN_HMAC_SECRET, "TOKEN_HMAC_SECRET: TOKEN_HMAC_SECRET must not be a value committed"],
    [
      "AUDIT_PSEUDONYM_SECRET",
      DEV_SECRETS.AUDIT_PSEUDONYM_SECRET,
      "AUDIT_PSEUDONYM_SECRET: AUDIT_PSEUDONYM_SECRET must not be a value committed",
    ],
    [
      "AUDIT_PSEUDONYM_SECRET",
      E2E_SECRETS.TOKEN_HMAC_SECRET,
      "AUDIT_PSEUDONYM_SECRET: AUDIT_PSEUDONYM_SECRET must not be a value committed",
    ],
    ["METRICS_TOKEN", DEV_SECRETS.METRICS_TOKEN, "METRICS_TOKEN: METRICS_TOKEN must not be a value committed"],
    ["METRICS_TOKEN", E2E_SECRETS.METRICS_TOKEN, "METRICS_TOKEN: METRICS_TOKEN must not be a value committed"],
    ["METRICS_TOKEN", "too-short", "METRICS_TOKEN: METRICS_TOKEN must be at least 32 characters"],
    ["INNGEST_DEV", "http://127.0.0.1:8288", "INNGEST_DEV: INNGEST_DEV must not be set in production"],
    ["INNGEST_DEV", "1", "INNGEST_DEV: INNGEST_DEV must not be set in production"],
    ["INNGEST_SIGNING_KEY", undefined, "INNGEST_SIGNING_KEY: INNGEST_SIGNING_KEY is required in production"],
    ["INNGEST_EVENT_KEY", undefined, "INNGEST_EVENT_KEY: INNGEST_EVENT_KEY is required in production"],
    ["INNGEST_EVENT_KEY", "", "INNGEST_EVENT_KEY: INNGEST_EVENT_KEY is required in production"],
    ["NEXTAUTH_URL", undefined, "NEXTAUTH_URL: NEXTAUTH_URL is required in production"],
    ["NEXTAUTH_URL", "https://other.example", "NEXTAUTH_URL: NEXTAUTH_URL must equal APP_URL"],
    ["APP_URL", "http://wallet.example", "APP_URL: APP_URL must be an https:// URL in production"],
    ["SMTP_URL", "smtp://user:pw@smtp.example.com:587", "SMTP_URL: SMTP_URL must use TLS in production"],
    ["SMTP_URL", "smtp://user:pw@smtp.example.com:587?requireTLS=false", "SMTP_URL: SMTP_URL must use TLS in production"],
    ["HEALTH_TOKEN", "short", "HEALTH_TOKEN: HEALTH_TOKEN must be at least 32 characters"],
  ])("production refuses %s=%s with one line naming it", (name, value, expected) => {
    const message = messageOf({ ...production, [name]: value });
    expect(message.startsWith(`Invalid environment configuration: ${expected}`)).toBe(true);
    expect(message).toContain(expected);
    expect(message).not.toContain("\n");
    if (value && name.endsWith("SECRET")) expect(message).not.toContain(value);
  });

  it("accepts STARTTLS when it is required, a trailing slash on NEXTAUTH_URL, and a HEALTH_TOKEN", () => {
    expect(() =>
      parseEnv({
        ...production,
        SMTP_URL: "smtp://user:pw@smtp.example.com:587?requireTLS=true",
        NEXTAUTH_URL: "https://wallet.example/",
        HEALTH_TOKEN: "an-operator-token-of-32-chars-ok",
      }),
    ).not.toThrow();
  });

  it.each(["local", "e2e"])("APP_ENV=%s permits INNGEST_DEV, http URLs, plain SMTP and no Inngest keys", (APP_ENV) => {
    expect(() =>
      parseEnv({
        APP_ENV,
        NODE_ENV: "production",
        APP_URL: "http://localhost:3100",
        NEXTAUTH_URL: "http://localhost:3100",
        SMTP_URL: "smtp://127.0.0.1:1026",
        INNGEST_DEV: "http://127.0.0.1:8289",
        ...E2E_SECRETS,
      }),
    ).not.toThrow();
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
    // (In production APP_URL must moreover be https, and says so.)
    expect(messageOf({ ...production, [name]: value })).toContain(`${name}: ${name} must be a`);
    expect(messageOf({ ...local, [name]: value })).toContain(`${name}: ${expected}`);
  });

  it("accepts postgres:// as well as postgresql://, and smtps://", () => {
    expect(() =>
      parseEnv({ ...local, DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", SMTP_URL: "smtps://u:p@smtp.example.com:465" }),
    ).not.toThrow();
  });

  it("names an unknown LOG_LEVEL or NODE_ENV", () => {
    expect(messageOf({ ...local, LOG_LEVEL: "verbose" })).toContain("LOG_LEVEL");
    expect(messageOf({ ...local, NODE_ENV: "staging" })).toContain("NODE_ENV");
  });

  it("during `next build` production secrets are not required (they are checked when the server boots)", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("reads TRUSTED_PROXY_HOPS and CLIENT_BUDGET_SCALE, defaulting to no proxy and budgets as written", () => {
    expect(parseEnv(local)).toMatchObject({ TRUSTED_PROXY_HOPS: 0, CLIENT_BUDGET_SCALE: 1 });
    expect(parseEnv({ ...production, TRUSTED_PROXY_HOPS: "2", CLIENT_BUDGET_SCALE: "50" })).toMatchObject({
      TRUSTED_PROXY_HOPS: 2,
      CLIENT_BUDGET_SCALE: 50,
    });
    expect(parseEnv({ ...local, CLIENT_BUDGET_SCALE: "0.5" }).CLIENT_BUDGET_SCALE).toBe(0.5);
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
    expect(messageOf({ ...local, [name]: value })).toContain(name);
  });
});
