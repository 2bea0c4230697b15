// Programmatic entry point of the local Inngest engine (see README.md).
export { startEngine, type Engine } from "./src/engine";
export type { EngineOptions } from "./src/options";
export { DEFAULT_PORT, DEFAULT_SCHEMA } from "./src/options";
export type { SyncResult } from "./src/sync";
export { createLogger, type Logger, type LogLevel } from "./src/log";
export { EngineClient, type EventView, type RunDetailView, type RunFilter, type RunView, type WaitForRunOptions } from "./src/client";
