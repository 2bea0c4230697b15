#!/usr/bin/env node
// The package ships TypeScript sources, not a build: tsx's loader runs the CLI
// in this same process, so signals reach the engine directly.
import { register } from "tsx/esm/api";

register();
await import("../cli.ts");
