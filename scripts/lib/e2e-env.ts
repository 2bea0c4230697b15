// Fixed, obviously-fake secrets for the test stack (never used anywhere else).
export const E2E_SECRETS = {
  NEXTAUTH_SECRET: "e2e-only-nextauth-secret-not-for-production-0001",
  TOKEN_HMAC_SECRET: "e2e-only-token-hmac-secret-not-for-production-01",
  AUDIT_PSEUDONYM_SECRET: "e2e-only-audit-pseudonym-secret-not-for-production",
} as const;

// Inngest's cloud mode for the e2e stack: the production build runs with
// INNGEST_DEV unset, so the SDK verifies the engine's signature on every call
// and sends events with this key, as against Inngest itself. Fake by design:
// the signing key's hex part spells nothing secret.
export const E2E_INNGEST_KEYS = {
  signingKey: `signkey-test-${"e2e0".repeat(16)}`,
  eventKey: "e2e-only-inngest-event-key-not-for-production",
} as const;
