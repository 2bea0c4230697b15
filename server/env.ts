import "server-only";
import { z } from "zod";

// The only module that reads process.env. Everything is validated once, at
// first import; a bad value stops the app with one line naming the variable.
//
// Local is a positive decision: the committed development defaults and the
// development-only switches apply only when APP_ENV is `local` (npm run dev)
// or `e2e` (the Playwright stack), which only the project's stack scripts set
// (scripts/lib/stack.ts). Anything else (APP_ENV unset) is production, whatever
// NODE_ENV says: a deploy that forgets a variable refuses to boot instead of
// running with a secret anyone can read in the repository.

import { COMMITTED_SECRET_VALUES, DEV_SECRETS } from "@/lib/committed-secrets";

type Source = Record<string, string | undefined>;

/** Whether these variables describe a local (dev or e2e) run: the only ones that get defaults. */
export function isLocal(source: Source): boolean {
  return source.APP_ENV === "local" || source.APP_ENV === "e2e";
}

/** The schema for one environment: production gets no defaults for what must be configured. */
function schemaFor(source: Source) {
  // `next build` imports route modules to collect their config; runtime secrets
  // are not needed (nor usually present) then, and are checked when the server
  // boots (instrumentation.ts) instead.
  const isBuild = source.NEXT_PHASE === "phase-production-build";
  const strict = !isLocal(source) && !isBuild;

  const devDefault = <T extends z.ZodType>(schema: T, fallback: string) =>
    strict ? schema : z.preprocess((value) => value ?? fallback, schema);

  const secret = (name: string) =>
    z
      .string({ error: `${name} is required in production` })
      .min(32, `${name} must be at least 32 characters`)
      // The dev and e2e values are in the repository: they sign nothing real.
      .refine((value) => !strict || !COMMITTED_SECRET_VALUES.has(value), `${name} must not be a value committed to the repository`);

  /** Required in production, optional (unused) locally. */
  const productionOnly = (name: string) =>
    strict ? z.string({ error: `${name} is required in production` }).min(1, `${name} is required in production`) : z.string().optional();

  return z
    .object({
      NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
      APP_ENV: z
        .enum(["local", "e2e"], { error: "APP_ENV must be local or e2e (set by the stack scripts), or unset in production" })
        .optional(),
      DATABASE_URL: devDefault(
        z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgresql:// URL" }),
        "postgresql://postgres:postgres@127.0.0.1:54329/app",
      ),
      APP_URL: devDefault(
        strict
          ? z.url({ protocol: /^https$/, error: "APP_URL must be an https:// URL in production" })
          : z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL" }),
        "http://localhost:3000",
      ),
      // next-auth reads it itself; checked here so that it cannot disagree with APP_URL.
      NEXTAUTH_URL: productionOnly("NEXTAUTH_URL"),
      NEXTAUTH_SECRET: devDefault(secret("NEXTAUTH_SECRET"), DEV_SECRETS.NEXTAUTH_SECRET),
      TOKEN_HMAC_SECRET: devDefault(secret("TOKEN_HMAC_SECRET"), DEV_SECRETS.TOKEN_HMAC_SECRET),
      // Keys the pseudonym that replaces a deleted account's id in its audit rows
      // (HMAC-SHA256); without the key the pseudonym cannot be linked back to a user id.
      AUDIT_PSEUDONYM_SECRET: devDefault(secret("AUDIT_PSEUDONYM_SECRET"), DEV_SECRETS.AUDIT_PSEUDONYM_SECRET),
      SMTP_URL: devDefault(z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" }), "smtp://127.0.0.1:1025"),
      // INNGEST_DEV turns off the SDK's signature checks: anyone who reaches
      // /api/inngest could then drive steps with forged state. Local only.
      INNGEST_DEV: strict
        ? z
            .string()
            .optional()
            .refine((value) => value === undefined, "INNGEST_DEV must not be set in production (it turns off Inngest's request signing)")
        : z.string().optional(),
      // The local engine's clock API (started with --test-clock): the app's
      // "now" follows the engine's, so tests move time for both at once
      // (server/clock.ts). Local only: production runs on real time.
      TEST_CLOCK_URL: strict
        ? z
            .string()
            .optional()
            .refine((value) => value === undefined, "TEST_CLOCK_URL must not be set in production (the app runs on real time)")
        : z.url({ protocol: /^https?$/, error: "TEST_CLOCK_URL must be an http(s) URL" }).optional(),
      INNGEST_SIGNING_KEY: productionOnly("INNGEST_SIGNING_KEY"),
      INNGEST_EVENT_KEY: productionOnly("INNGEST_EVENT_KEY"),
      /** The operator token that unlocks the details of GET /api/health; unset: nobody sees them. */
      HEALTH_TOKEN: z.string().min(32, "HEALTH_TOKEN must be at least 32 characters").optional(),
      // The bearer token a Prometheus scraper sends to GET /api/metrics; unset
      // in production: the endpoint does not exist (404). Local and e2e runs
      // get the committed value, which production refuses.
      METRICS_TOKEN: strict
        ? z
            .string()
            .min(32, "METRICS_TOKEN must be at least 32 characters")
            .refine((value) => !COMMITTED_SECRET_VALUES.has(value), "METRICS_TOKEN must not be a value committed to the repository")
            .optional()
        : devDefault(z.string().min(32, "METRICS_TOKEN must be at least 32 characters"), DEV_SECRETS.METRICS_TOKEN),
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
    })
    .superRefine((value, context) => {
      if (!strict) return;
      // SMTP over TLS: implicit TLS (smtps://, usually port 465) or STARTTLS
      // made mandatory (smtp://…?requireTLS=true, usually port 587; nodemailer
      // reads the query). Plain smtp:// would send links in the clear.
      const smtp = URL.canParse(value.SMTP_URL) ? new URL(value.SMTP_URL) : null;
      if (smtp && smtp.protocol === "smtp:" && smtp.searchParams.get("requireTLS") !== "true")
        context.addIssue({
          code: "custom",
          path: ["SMTP_URL"],
          message: "SMTP_URL must use TLS in production: smtps://, or smtp://…?requireTLS=true for STARTTLS",
        });
      if (value.NEXTAUTH_URL !== undefined && normalisedUrl(value.NEXTAUTH_URL) !== normalisedUrl(value.APP_URL))
        context.addIssue({ code: "custom", path: ["NEXTAUTH_URL"], message: "NEXTAUTH_URL must equal APP_URL" });
    });
}

/** A URL without its trailing slash, for comparing two spellings of the same address. */
function normalisedUrl(url: string): string {
  return URL.canParse(url) ? new URL(url).href.replace(/\/$/, "") : url;
}

/** A numeric variable: unset means the default; anything but a plain number is refused (not read as 0). */
function numberVar<T extends z.ZodType>(schema: T, fallback: string) {
  return z.preprocess((value) => {
    const text = typeof value === "string" ? value.trim() : fallback;
    return /^\d+(\.\d+)?$/.test(text || fallback) ? Number(text || fallback) : text;
  }, schema);
}

export type Env = z.infer<ReturnType<typeof schemaFor>>;

/** Validates a set of variables (process.env at boot); throws one single-line message naming every bad variable. */
export function parseEnv(source: Source): Env {
  const parsed = schemaFor(source).safeParse(source);
  if (!parsed.success) {
    // One line (a refused boot prints just this, see instrumentation.ts).
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration: ${problems.join("; ")} (see .env.example)`);
  }
  return parsed.data;
}

export const env: Env = parseEnv(process.env);
