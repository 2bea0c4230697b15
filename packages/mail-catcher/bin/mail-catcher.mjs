#!/usr/bin/env node
// The package ships TypeScript source and no build step: tsx compiles the CLI on
// the fly, scoped to this import so the rest of the process is left alone.
import { tsImport } from "tsx/esm/api";

await tsImport("../src/cli.ts", import.meta.url);
