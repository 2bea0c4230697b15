// Fixed, obviously-fake secrets for the test stack (never used anywhere else).
// They live in lib/committed-secrets.ts, beside the development defaults, so
// that server/env.ts refuses every committed value outside local and e2e.
export { E2E_SECRETS } from "../../lib/committed-secrets";

// Inngest's cloud mode for the e2e stack: the production build runs with
// INNGEST_DEV unset, so the SDK verifies the engine's signature on every call
// and sends events with this key, as against Inngest itself. Fake by design:
// the signing key's hex part spells nothing secret.
export const E2E_INNGEST_KEYS = {
  signingKey: `signkey-test-${"e2e0".repeat(16)}`,
  eventKey: "e2e-only-inngest-event-key-not-for-production",
} as const;
