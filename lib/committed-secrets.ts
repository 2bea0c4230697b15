// The secret values committed to this repository: the development defaults
// (server/env.ts) and the fixed ones the end-to-end stack runs with
// (scripts/lib/e2e-env.ts re-exports them). Kept in one list so that the
// environment check can refuse every one of them outside local and e2e: a
// value anyone can read in the repository signs nothing in production.

export const DEV_SECRETS = {
  NEXTAUTH_SECRET: "dev-only-nextauth-secret-0123456789abcdef",
  TOKEN_HMAC_SECRET: "dev-only-token-hmac-secret-0123456789abcdef",
  AUDIT_PSEUDONYM_SECRET: "dev-only-audit-pseudonym-secret-0123456789abcdef",
  METRICS_TOKEN: "dev-only-metrics-token-0123456789abcdef",
} as const;

export const E2E_SECRETS = {
  NEXTAUTH_SECRET: "e2e-only-nextauth-secret-not-for-production-0001",
  TOKEN_HMAC_SECRET: "e2e-only-token-hmac-secret-not-for-production-01",
  AUDIT_PSEUDONYM_SECRET: "e2e-only-audit-pseudonym-secret-not-for-production",
  METRICS_TOKEN: "e2e-only-metrics-token-not-for-production-000001",
} as const;

export const COMMITTED_SECRET_VALUES: ReadonlySet<string> = new Set([...Object.values(DEV_SECRETS), ...Object.values(E2E_SECRETS)]);
