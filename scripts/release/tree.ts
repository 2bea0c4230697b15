// A release's file list as RELEASE.json records it: the builder writes it,
// bin/deploy checks an installed release against it.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Written by the running server (Next's cache), not part of what was shipped.
const RUNTIME_PATHS = new Set(["app/.next/cache"]);

/** Every file (its SHA-256) and symlink (its target) under dir, RELEASE.json aside, sorted by path. */
export function treeOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (name === "RELEASE.json" || RUNTIME_PATHS.has(name)) continue;
      const full = path.join(dir, name);
      if (entry.isSymbolicLink()) files[name] = `symlink:${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) walk(name);
      else files[name] = createHash("sha256").update(fs.readFileSync(full)).digest("hex");
    }
  };
  walk("");
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One hash over the sorted paths and their hashes (`sha256sum` lines): equal trees, equal hash. */
export function treeHash(files: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const [name, sha] of Object.entries(files)) hash.update(`${sha}  ${name}\n`);
  return hash.digest("hex");
}
