// Fixed, obviously-fake secrets for the test stack (never used anywhere else).
// They live in lib/committed-secrets.ts, beside the development defaults, so
// that server/env.ts refuses every committed value outside local and e2e.
export { E2E_SECRETS } from "../../lib/committed-secrets";
