// `server-only` throws outside React Server Components. The benchmark runs the
// app's server modules directly in Node (as Vitest does, which aliases the
// package to scripts/lib/empty-module.ts), so it resolves to an empty module
// here too. Call before the first import of anything under server/.
import { register } from "node:module";

const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export%20%7B%7D%3B", shortCircuit: true };
  return next(specifier, context);
}`;

export function allowServerOnlyModules(): void {
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
}
