import "server-only";
import { z } from "zod";

// The only module that reads process.env. Everything is validated once, at
// first import; a bad value stops the app with a message naming the variable.
// Local defaults exist only outside production so `npm run dev` needs nothing
// set, while a production deploy with a missing secret refuses to boot.

type Source = Record<string, string | undefined>;

/** The schema for one environment: production gets no defaults for what must be configured. */
function schemaFor(source: Source) {
  // `next build` imports route modules to collect their config; runtime secrets
  // are not needed (nor usually present) then, and are checked when the server
  // boots (instrumentation.ts) instead.
  const isBuild = source.NEXT_PHASE === "phase-production-build";
  const isProduction = source.NODE_ENV === "production" && !isBuild;

  const devDefault = <T extends z.ZodType>(schema: T, fallback: string) =>
    isProduction ? schema : z.preprocess((value) => value ?? fallback, schema);

  const secret = (name: string) =>
    z.string({ error: `${name} is required in production` }).min(32, `${name} must be at least 32 characters`);

  return z.object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: devDefault(
      z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgresql:// URL" }),
      "postgresql://postgres:postgres@127.0.0.1:54329/app",
    ),
    APP_URL: devDefault(z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL" }), "http://localhost:3000"),
    NEXTAUTH_SECRET: devDefault(secret("NEXTAUTH_SECRET"), "dev-only-nextauth-secret-0123456789abcdef"),
    TOKEN_HMAC_SECRET: devDefault(secret("TOKEN_HMAC_SECRET"), "dev-only-token-hmac-secret-0123456789abcdef"),
    // Keys the pseudonym that replaces a deleted account's id in its audit rows
    // (HMAC-SHA256); without the key the pseudonym cannot be linked back to a user id.
    AUDIT_PSEUDONYM_SECRET: devDefault(secret("AUDIT_PSEUDONYM_SECRET"), "dev-only-audit-pseudonym-secret-0123456789abcdef"),
    SMTP_URL: devDefault(z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" }), "smtp://127.0.0.1:1025"),
    MAIL_FROM: z.string().min(3).default("Wallet <no-reply@wallet.example>"),
    /** The relay delivers international addresses (SMTPUTF8): only then is a non-ASCII local part accepted. */
    SMTP_UTF8: z
      .enum(["true", "false"], { error: "SMTP_UTF8 must be true or false" })
      .default("false")
      .transform((value) => value === "true"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // How many reverse proxies in front of Next append to X-Forwarded-For;
    // the client IP is the entry that many places from the right
    // (server/http/client-ip.ts). 0: no proxy, the socket peer Next wrote.
    TRUSTED_PROXY_HOPS: numberVar(
      z.number().int("TRUSTED_PROXY_HOPS must be a whole number").min(0).max(10, "TRUSTED_PROXY_HOPS must be at most 10"),
      "0",
    ),
    // Multiplies every per-client budget (lib/rules.ts) so that load tests
    // and QA suites can run from one address; 1 in production.
    CLIENT_BUDGET_SCALE: numberVar(
      z.number().positive("CLIENT_BUDGET_SCALE must be greater than 0").max(1_000_000, "CLIENT_BUDGET_SCALE must be at most 1000000"),
      "1",
    ),
  });
}

/** A numeric variable: unset means the default; anything but a plain number is refused (not read as 0). */
function numberVar<T extends z.ZodType>(schema: T, fallback: string) {
  return z.preprocess((value) => {
    const text = typeof value === "string" ? value.trim() : fallback;
    return /^\d+(\.\d+)?$/.test(text || fallback) ? Number(text || fallback) : text;
  }, schema);
}

export type Env = z.infer<ReturnType<typeof schemaFor>>;

/** Validates a set of variables (process.env at boot); throws one message naming every bad variable. */
export function parseEnv(source: Source): Env {
  const parsed = schemaFor(source).safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  return parsed.data;
}

export const env: Env = parseEnv(process.env);
