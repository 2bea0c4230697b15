// Fixed, obviously-fake secrets for the test stack (never used anywhere else).
export const E2E_SECRETS = {
  NEXTAUTH_SECRET: "e2e-only-nextauth-secret-not-for-production-0001",
  TOKEN_HMAC_SECRET: "e2e-only-token-hmac-secret-not-for-production-01",
  AUDIT_PSEUDONYM_SECRET: "e2e-only-audit-pseudonym-secret-not-for-production",
} as const;
