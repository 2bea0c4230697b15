// npm run release — one versioned artefact of the app for a bare-metal host:
//   artefacts/release/wallet-<package version>+<short sha>.tar.gz and its .sha256
// holding the Next.js standalone server (with the node_modules files it
// traced, the Prisma client and argon2's native build among them), the SQL
// migrations with a runner bundled for plain `node`, bin/start, bin/migrate,
// bin/deploy and bin/rollback, the systemd unit, the env file templates, the
// monitoring files (ops/) and their runbooks, and RELEASE.json (version,
// commit, build time, Node version, the SHA-256 of every file and of the tree).
//
//   npm run release                 builds Next, then packs
//   npm run release -- --no-build   packs the build already in .next (CI, right after `next build`)
//
// The same commit gives the same file list; the tar is written in name order
// with the commit's time on every entry and a gzip header without a date, so
// only RELEASE.json's build time and the build's own output set two artefacts apart.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { build as esbuild } from "esbuild";
import { treeHash, treeOf } from "./tree";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FILES = path.join(import.meta.dirname, "files");
const RELEASE_DIR = path.join(ROOT, "artefacts/release");

export type Release = { version: string; tarball: string; checksumFile: string; sha256: string; bytes: number; fileCount: number };

function git(...args: string[]): string {
  const result = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Copies a file or a tree, keeping symlinks as they are (the standalone output has relative ones). */
function copy(from: string, to: string, filter?: (source: string) => boolean) {
  fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter });
}

/**
 * Whether the build's Server Actions key was pinned by NEXT_SERVER_ACTIONS_ENCRYPTION_KEY
 * (in the environment now, and the one the build embedded). Next derives the
 * action ids from that key: with one key, every build names an unchanged
 * action alike; without, each build draws its own key and ids.
 */
function serverActionsKey(standalone: string): "pinned" | "not pinned" {
  const pinned = process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY;
  if (!pinned) return "not pinned";
  const bytes = Buffer.from(pinned, "base64");
  if (![16, 24, 32].includes(bytes.length) || bytes.toString("base64") !== pinned)
    throw new Error("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY must be 16, 24 or 32 random bytes in base64 (openssl rand -base64 32)");
  const manifest = path.join(standalone, ".next/server/server-reference-manifest.json");
  const { encryptionKey } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { encryptionKey?: string };
  if (encryptionKey !== pinned)
    throw new Error("NEXT_SERVER_ACTIONS_ENCRYPTION_KEY differs from the key this build was made with: build again with it set");
  return "pinned";
}

export async function buildRelease(options: { build: boolean; log?: (line: string) => void }): Promise<Release> {
  const log = options.log ?? console.log;
  const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  const commit = git("rev-parse", "HEAD");
  // Uncommitted changes get their own version: such an artefact cannot be rebuilt from its commit.
  const dirty = git("status", "--porcelain").length > 0;
  const version = `${packageJson.version}+${git("rev-parse", "--short", "HEAD")}${dirty ? ".dirty" : ""}`;
  const commitTime = Number(git("show", "-s", "--format=%ct", "HEAD"));

  if (options.build) {
    log("next build");
    const built = spawnSync("npx", ["next", "build"], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (built.status !== 0) throw new Error("next build failed");
  }
  const standalone = path.join(ROOT, ".next/standalone");
  if (!fs.existsSync(path.join(standalone, "server.js")))
    throw new Error('No standalone build in .next/standalone: run `npx next build` (next.config.ts sets output: "standalone").');
  const serverActions = serverActionsKey(standalone);
  if (serverActions === "not pinned")
    log(
      "note: NEXT_SERVER_ACTIONS_ENCRYPTION_KEY is not set, so this release's Server Action ids are taken to be its build's own: " +
        "a form a browser loaded from the previous release would be refused once by this one during a rolling deploy (docs/deploy.md)",
    );

  const name = `wallet-${version}`;
  const staging = path.join(RELEASE_DIR, `.staging-${process.pid}`);
  const out = path.join(staging, name);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  try {
    // The server and what it traced. Next copies .env files into the
    // standalone output when there are any: secrets never go into an artefact.
    copy(standalone, path.join(out, "app"), (source) => !/^\.env/.test(path.basename(source)) || path.dirname(source) !== standalone);
    copy(path.join(ROOT, ".next/static"), path.join(out, "app/.next/static"));
    if (fs.existsSync(path.join(ROOT, "public"))) copy(path.join(ROOT, "public"), path.join(out, "app/public"));

    // The migrations, and their runner and the deploy tool bundled for plain node.
    const migrations = path.join(ROOT, "prisma/migrations");
    for (const entry of fs.readdirSync(migrations, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const sql = path.join(migrations, entry.name, "migration.sql");
      if (fs.existsSync(sql)) copy(sql, path.join(out, "migrations", entry.name, "migration.sql"));
    }
    await esbuild({
      entryPoints: { migrate: path.join(import.meta.dirname, "migrate-entry.ts"), deploy: path.join(import.meta.dirname, "deploy.ts") },
      outdir: path.join(out, "lib"),
      outExtension: { ".js": ".mjs" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // pg's optional native binding is never used (and not installed).
      external: ["pg-native"],
      // pg is CommonJS: its require() of Node built-ins needs a real require in an ES module.
      banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
      legalComments: "none",
      logLevel: "warning",
    });

    copy(path.join(FILES, "bin"), path.join(out, "bin"));
    copy(path.join(FILES, "systemd"), path.join(out, "systemd"));
    copy(path.join(FILES, "config"), path.join(out, "config"));
    // The monitoring files and their runbooks. Not ops/prometheus/secrets: it
    // holds the development token (production puts the real one there), nor
    // ops/security (CI's licence allowlist).
    copy(path.join(ROOT, "ops/prometheus"), path.join(out, "ops/prometheus"), (source) => !source.includes(`${path.sep}secrets`));
    copy(path.join(ROOT, "ops/alertmanager"), path.join(out, "ops/alertmanager"));
    copy(path.join(ROOT, "docs/runbooks"), path.join(out, "docs/runbooks"));
    copy(path.join(ROOT, "docs/deploy.md"), path.join(out, "docs/deploy.md"));
    fs.writeFileSync(
      path.join(out, "README.md"),
      `# wallet ${version}\n\nA release of the wallet app, commit ${commit}. How to install, deploy and roll it back: docs/deploy.md.\n\n` +
        "- `bin/start`: one instance (the Next.js standalone server in `app/`)\n- `bin/migrate`: the SQL migrations in `migrations/`\n" +
        "- `bin/deploy`, `bin/rollback`: install, migrate, switch and restart behind the health check\n" +
        "- `systemd/wallet@.service`, `config/*.env.example`, `ops/` (Prometheus, Alertmanager), `docs/runbooks/`\n",
    );

    const files = treeOf(out);
    const nextVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/next/package.json"), "utf8")) as { version: string })
      .version;
    const releaseInfo = {
      name: "wallet",
      version,
      gitCommit: commit,
      gitDirty: dirty,
      commitTime: new Date(commitTime * 1000).toISOString(),
      // SOURCE_DATE_EPOCH (reproducible-builds.org) pins it: two packs of one build are then equal byte for byte.
      builtAt: new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now()).toISOString(),
      node: process.version,
      // argon2 and sharp ship native builds: the release runs on this platform only.
      platform: `${process.platform}-${process.arch}`,
      next: nextVersion,
      // "pinned": built with NEXT_SERVER_ACTIONS_ENCRYPTION_KEY (never written here), so forms keep working across releases.
      serverActions,
      fileCount: Object.keys(files).length,
      treeSha256: treeHash(files),
      files,
    };
    fs.writeFileSync(path.join(out, "RELEASE.json"), `${JSON.stringify(releaseInfo, null, 2)}\n`);

    // Every entry at the commit's time, in name order, owned by root: the list
    // (and, but for RELEASE.json and the build's output, the bytes) repeat.
    const tarball = path.join(RELEASE_DIR, `${name}.tar.gz`);
    const tar = spawn(
      "tar",
      [
        "--sort=name",
        `--mtime=@${commitTime}`,
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--format=gnu",
        "-cf",
        "-",
        "-C",
        staging,
        name,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise<number | null>((resolve) => tar.once("exit", resolve));
    await pipeline(tar.stdout, createGzip({ level: 9 }), fs.createWriteStream(tarball));
    if ((await exited) !== 0) throw new Error("tar failed");

    const sha256 = createHash("sha256").update(fs.readFileSync(tarball)).digest("hex");
    const checksumFile = `${tarball}.sha256`;
    // `sha256sum -c` reads this line.
    fs.writeFileSync(checksumFile, `${sha256}  ${path.basename(tarball)}\n`);
    return { version, tarball, checksumFile, sha256, bytes: fs.statSync(tarball).size, fileCount: releaseInfo.fileCount };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { "no-build": { type: "boolean" } } });
  try {
    const release = await buildRelease({ build: !values["no-build"] });
    console.log(`${path.relative(process.cwd(), release.tarball)}: ${(release.bytes / 1e6).toFixed(1)} MB, ${release.fileCount} files`);
    console.log(`sha256 ${release.sha256}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
