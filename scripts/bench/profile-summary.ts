// Summarises a V8 .cpuprofile (node --cpu-prof): where the samples fell, by
// function and by module, self and inclusive, as shares of all samples.
//
//   npx tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--top 25] [--json]
//
// Next's server bundles are minified chunks; their source maps (written by
// `next build` beside each chunk) turn a sampled position back into its
// original file, e.g. node_modules/next-auth/core/routes/session.js, so the
// module table names packages and project files rather than chunk hashes.
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type Row = { name: string; selfMs: number; selfShare: number; totalMs: number; totalShare: number };
export type Summary = {
  file: string;
  durationMs: number;
  sampledMs: number;
  idleShare: number;
  byFunction: Row[];
  byModule: Row[];
  /** Chunks gone from the build or whose source map is newer than the profile (the app was rebuilt since): their attribution is unreliable. */
  staleSourceMaps: number;
  /** Self time with Node's internals charged to the package that called them (crypto under next-auth, sockets under pg). */
  byOwner: Row[];
};

type Frame = { fn: string; module: string };

const maps = new Map<string, SourceMap | null>();
/** Source maps written after the profile being read: a rebuild since, so positions may point at the wrong code. */
const staleMaps = new Set<string>();
let profiledAt = Infinity;

function sourceMapOf(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url)!;
  let map: SourceMap | null = null;
  try {
    const file = url.startsWith("file://") ? fileURLToPath(url) : url;
    const inBuild = file.includes(`${path.sep}.next${path.sep}`);
    // A chunk gone from the build: rebuilt since the profile was taken.
    if (inBuild && !fs.existsSync(`${file}.map`)) staleMaps.add(path.basename(file));
    if (inBuild && fs.existsSync(`${file}.map`)) {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
      if (fs.statSync(`${file}.map`).mtimeMs > profiledAt) staleMaps.add(path.basename(file));
    }
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

/** A readable module name: the npm package (with its subpath's first part) or the project file. */
export function moduleOf(source: string): string {
  const clean = safeDecode(source)
    .replace(/^file:\/\//, "")
    .replace(/^webpack:\/\/\/?/, "")
    .replace(/^turbopack:\/\/\/?/, "");
  const nm = clean.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = clean.slice(nm + "node_modules/".length).split("/");
    const pkg = parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
    const rest = parts.slice(parts[0]!.startsWith("@") ? 2 : 1);
    // Big packages are split one level down (next/dist/server vs next/dist/compiled/…).
    if (pkg === "next" && rest[0] === "dist") return `next/dist/${rest[1] ?? ""}${rest[1] === "compiled" ? `/${rest[2] ?? ""}` : ""}`;
    if (pkg === "next-auth") return `next-auth/${rest.length > 1 ? rest[0] : ""}`.replace(/\/$/, "");
    return pkg;
  }
  if (clean.startsWith("node:") || !clean.includes("/")) return clean ? `node:${clean.replace(/^node:/, "")}` : "(native)";
  const project = /(?:^|\/)((?:app|server|lib|components|proxy|instrumentation|emails|inngest)(?:\/|\.ts).*)$/.exec(
    clean.replace(/^(\.\.\/)+/, ""),
  );
  return project ? project[1]! : clean.replace(/^(\.\.\/)+/, "");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function frameOf(node: ProfileNode): Frame {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const fn = functionName || "(anonymous)";
  if (!url) return { fn, module: fn.startsWith("(") ? fn : "(native)" };
  const map = sourceMapOf(url);
  if (map) {
    const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number; name?: string };
    if (entry.originalSource) {
      const owner = moduleOf(entry.originalSource);
      const name = entry.name && entry.name.length > 2 ? entry.name : fn;
      return { fn: `${name} ${owner}:${(entry.originalLine ?? 0) + 1}`, module: owner };
    }
  }
  const owner = moduleOf(url.startsWith("file://") ? fileURLToPath(url) : url);
  return { fn: `${fn} ${owner}:${lineNumber + 1}`, module: owner };
}

export function summarise(file: string, top = 25): Summary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  maps.clear();
  staleMaps.clear();
  profiledAt = fs.statSync(file).mtimeMs;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frames = new Map(profile.nodes.map((node) => [node.id, frameOf(node)]));
  // Native code (crypto, JSON, Buffer) has no script: its time belongs to the
  // JavaScript that called it, so key derivation shows under next-auth, not as "(native)".
  const resolve = (id: number): Frame => {
    const frame = frames.get(id)!;
    if (frame.module !== "(native)") return frame;
    let at = parent.get(id);
    while (at !== undefined && frames.get(at)!.module === "(native)") at = parent.get(at);
    const caller = at === undefined ? undefined : frames.get(at);
    if (!caller || caller.fn === "(root)") return frame;
    const resolved = { fn: `${frame.fn} [native] ← ${caller.fn}`, module: caller.module };
    frames.set(id, resolved);
    return resolved;
  };
  for (const node of profile.nodes) resolve(node.id);
  // The package that asked for the work: Node's own modules (crypto, streams,
  // timers) are charged to the nearest caller outside them.
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owners.get(id);
    if (known) return known;
    const { module: owner } = frames.get(id)!;
    const up = parent.get(id);
    const result =
      owner.startsWith("node:") && up !== undefined && !frames.get(up)!.fn.startsWith("(root)")
        ? ownerOf(up) === "(root)"
          ? owner
          : ownerOf(up)
        : owner;
    owners.set(id, result);
    return result;
  };

  // Sample i lasted until sample i+1: timeDeltas[i+1] (the last one gets the mean).
  const n = profile.samples.length;
  const mean = n > 1 ? (profile.endTime - profile.startTime) / n : 0;
  const duration = (i: number) => (i + 1 < n ? profile.timeDeltas[i + 1]! : mean) / 1000;

  const fnSelf = new Map<string, number>();
  const fnTotal = new Map<string, number>();
  const modSelf = new Map<string, number>();
  const modTotal = new Map<string, number>();
  const ownerSelf = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let all = 0;
  let idle = 0;
  for (let i = 0; i < n; i++) {
    const ms = duration(i);
    const id = profile.samples[i]!;
    const leaf = frames.get(id)!;
    all += ms;
    if (leaf.fn === "(idle)") idle += ms;
    add(fnSelf, leaf.fn, ms);
    add(modSelf, leaf.module, ms);
    add(ownerSelf, ownerOf(id), ms);
    // Inclusive: each function and module once per sample, however deep the recursion.
    const seenFn = new Set<string>();
    const seenMod = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = frames.get(at)!;
      if (byId.get(at)!.callFrame.functionName === "(root)") break;
      if (!seenFn.has(frame.fn)) {
        seenFn.add(frame.fn);
        add(fnTotal, frame.fn, ms);
      }
      if (!seenMod.has(frame.module)) {
        seenMod.add(frame.module);
        add(modTotal, frame.module, ms);
      }
    }
  }
  // Shares are of the busy time: idle samples say only that the server waited (on the database, the network).
  const busy = all - idle || 1;
  const rows = (self: Map<string, number>, total: Map<string, number>, order: "self" | "total") =>
    [...new Set([...self.keys(), ...total.keys()])]
      .filter((name) => name !== "(idle)")
      .map((name) => {
        const selfMs = self.get(name) ?? 0;
        const totalMs = total.get(name) ?? 0;
        return { name, selfMs, selfShare: selfMs / busy, totalMs, totalShare: totalMs / busy };
      })
      .sort((a, b) => (order === "self" ? b.selfMs - a.selfMs : b.totalMs - a.totalMs))
      .slice(0, top);
  return {
    file,
    durationMs: (profile.endTime - profile.startTime) / 1000,
    sampledMs: all,
    idleShare: idle / (all || 1),
    staleSourceMaps: staleMaps.size,
    byFunction: rows(fnSelf, fnTotal, "self"),
    byModule: rows(modSelf, modTotal, "self"),
    byOwner: rows(ownerSelf, new Map(), "self"),
  };
}

/** Functions by inclusive time, for the "who calls the expensive part" view. */
export function formatSummary(summary: Summary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  const table = (title: string, rows: Row[]) =>
    [
      title,
      `  ${"self".padStart(6)} ${"total".padStart(6)}  name`,
      ...rows.map((row) => `  ${pct(row.selfShare)} ${pct(row.totalShare)}  ${row.name}`),
    ].join("\n");
  return [
    `${path.basename(summary.file)}: ${(summary.durationMs / 1000).toFixed(1)} s profiled, idle ${(summary.idleShare * 100).toFixed(1)}% (shares below are of the busy time)`,
    ...(summary.staleSourceMaps
      ? [
          `WARNING: ${summary.staleSourceMaps} of the build's chunks are gone or newer than this profile (rebuilt since): the names below may be wrong. The summary written beside the profile at the time is the one to trust.`,
        ]
      : []),
    [
      "By package (self time; Node's internals charged to their caller):",
      ...summary.byOwner.map((row) => `  ${pct(row.selfShare)}  ${row.name}`),
    ].join("\n"),
    table("By module (self time):", summary.byModule),
    table("By function (self time):", summary.byFunction),
  ].join("\n\n");
}

function inclusiveView(file: string, top: number): string {
  const summary = summarise(file, 100_000);
  const rows = [...summary.byModule].sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
  const fns = [...summary.byFunction].sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    "By module (inclusive time):",
    ...rows.map((row) => `  ${pct(row.totalShare)} ${pct(row.selfShare)}  ${row.name}`),
    "",
    "By function (inclusive time):",
    ...fns.map((row) => `  ${pct(row.totalShare)} ${pct(row.selfShare)}  ${row.name}`),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith("--") && !/^\d+$/.test(arg));
  const topAt = args.indexOf("--top");
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  if (!file) {
    console.error("usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--top N] [--json]");
    process.exit(2);
  }
  if (args.includes("--json")) console.log(JSON.stringify(summarise(file, top), null, 2));
  else console.log(`${formatSummary(summarise(file, top))}\n\n${inclusiveView(file, top)}`);
}
