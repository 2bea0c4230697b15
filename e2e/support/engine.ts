import { EngineClient } from "@wallet/inngest-local/client";
import { ENGINE_URL } from "./env";

/** The local engine's own client (clock, runs, events) on the test port. */
export const engine = new EngineClient(ENGINE_URL);
