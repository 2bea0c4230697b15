// The package's import graph: no cycles (they hide initialisation-order bugs
// and tangle the layers), nothing from the app around it, and a client that
// other processes can load without the engine's dependencies.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?"([^"]+)"/gm;

interface Import {
  specifier: string;
  typeOnly: boolean;
}

const files = fs
  .readdirSync(ROOT, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts") && !file.split(path.sep).includes("node_modules"))
  .map((file) => path.join(ROOT, file));

function importsOf(file: string): Import[] {
  const source = fs.readFileSync(file, "utf8");
  return [...source.matchAll(IMPORT)].map((m) => ({ specifier: m[3]!, typeOnly: m[2] !== undefined }));
}

function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.ts`, path.join(base, "index.ts")].find((candidate) => files.includes(candidate));
}

describe("imports", () => {
  it("form no cycle", () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).flatMap((i) => resolveLocal(file, i.specifier) ?? [])]));
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(ROOT, f)).join(" > "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("stay inside the package", () => {
    const outside = files.flatMap((file) =>
      importsOf(file)
        .filter(
          (i) =>
            i.specifier.startsWith("@/") ||
            (i.specifier.startsWith(".") && !path.resolve(path.dirname(file), i.specifier).startsWith(ROOT + path.sep)),
        )
        .map((i) => `${path.relative(ROOT, file)}: ${i.specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it("leave the client free of runtime dependencies", () => {
    const runtime = importsOf(path.join(ROOT, "src/client.ts")).filter((i) => !i.typeOnly);
    expect(runtime).toEqual([]);
  });
});
