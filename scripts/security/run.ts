// npm run check:security — the offline security checks (issue 15, item 5),
// each printing what it looked at and what it found, failing the run on a
// finding: a secret in the tree, a locked package from anywhere but the
// registry or without an integrity hash, a licence outside the allowlist.
// It also writes the SBOM (CycloneDX, artefacts/sbom.cdx.json) and runs the
// dependency advisory check where the registry offers one (reported as
// unavailable, not skipped silently, where it does not).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { COMMITTED_SECRET_VALUES } from "../../lib/committed-secrets";
import { E2E_INNGEST_KEYS } from "../lib/e2e-env";
import { checkLicences, checkLockfile, findSecrets, type LicencePolicy, type LockEntry } from "./checks";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ARTEFACTS = path.join(ROOT, "artefacts");
/** The repository's own packages: the only lock file entries that may be local. */
const LOCAL_DIRS = ["packages/inngest-local", "packages/mail-catcher", "scripts/stubs/prisma-streams-local"];
/** Files too big or binary to scan, or made of hashes (the lock file's integrity values). */
const SKIP = /(^|\/)(package-lock\.json|.*\.(png|jpe?g|gif|ico|woff2?|ttf|pdf|zip|gz))$/;

let failed = false;
const report = (name: string, ok: boolean, summary: string, details: string[] = []) => {
  console.log(`${ok ? "✔" : "✖"} ${name}: ${summary}`);
  for (const line of details.slice(0, 50)) console.log(`    ${line}`);
  if (details.length > 50) console.log(`    … and ${details.length - 50} more`);
  if (!ok) failed = true;
};

// 1. Secrets: every file git would commit (tracked, or new and not ignored).
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
  .split("\0")
  .filter((file) => file && !SKIP.test(file) && fs.existsSync(path.join(ROOT, file)));
const allowed = new Set([...COMMITTED_SECRET_VALUES, ...Object.values(E2E_INNGEST_KEYS)]);
const findings = files.flatMap((file) => {
  const full = path.join(ROOT, file);
  if (fs.statSync(full).size > 2_000_000) return [];
  return findSecrets(file, fs.readFileSync(full, "utf8"), allowed);
});
report(
  "secret scan",
  findings.length === 0,
  `${files.length} files, ${findings.length} findings`,
  findings.map((finding) => `${finding.file}:${finding.line}: ${finding.rule}`),
);

// 2. The lock file: where every package comes from. Both the file on disk and
// the committed one: `npm install` quietly rewrites a foreign `resolved` URL
// to the registry's when the tarball's integrity is already in its cache, so
// after an install the file on disk can look clean while the commit is not.
type Lock = { packages: Record<string, LockEntry> };
const lockText = fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8");
const lock = JSON.parse(lockText) as Lock;
const committed = spawnSync("git", ["show", "HEAD:package-lock.json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
// Only when it differs from the file on disk (after an install, or with uncommitted changes) is there more to check.
const committedLock = committed.status === 0 && committed.stdout !== lockText ? (JSON.parse(committed.stdout) as Lock) : null;
const registry = execFileSync("npm", ["config", "get", "registry"], { cwd: ROOT, encoding: "utf8" }).trim();
const describe = (problem: { path: string; problem: string }) => `${problem.path}: ${problem.problem}`;
const onDisk = checkLockfile(lock.packages, registry, LOCAL_DIRS).map(describe);
const onlyCommitted = (committedLock ? checkLockfile(committedLock.packages, registry, LOCAL_DIRS) : [])
  .map(describe)
  .filter((problem) => !onDisk.includes(problem))
  .map((problem) => `${problem} (in the committed package-lock.json)`);
const lockProblems = [...onDisk, ...onlyCommitted];
report(
  "lock file",
  lockProblems.length === 0,
  `${Object.keys(lock.packages).length - 1} entries, all from ${registry} with sha512 integrity unless listed` +
    (committed.status !== 0 ? "; no committed lock file to compare (not a git checkout)" : committedLock ? "; the committed one too" : ""),
  lockProblems,
);

// 3. Licences.
const policy = JSON.parse(fs.readFileSync(path.join(ROOT, "ops/security/licences.json"), "utf8")) as LicencePolicy;
const licenceProblems = checkLicences(lock.packages, policy, LOCAL_DIRS);
report(
  "licences",
  licenceProblems.length === 0,
  `allowlist of ${policy.allowed.length} licences, ${Object.keys(policy.exceptions).length} reasoned exceptions (ops/security/licences.json)`,
  licenceProblems.map((problem) => `${problem.name}@${problem.version}: ${problem.license}`),
);

// 4. SBOM, CycloneDX, from what is installed (npm's own generator).
fs.mkdirSync(ARTEFACTS, { recursive: true });
const sbom = spawnSync("npm", ["sbom", "--sbom-format", "cyclonedx", "--sbom-type", "application"], {
  cwd: ROOT,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
if (sbom.status === 0) {
  const document = JSON.parse(sbom.stdout) as { specVersion: string; components: unknown[] };
  fs.writeFileSync(path.join(ARTEFACTS, "sbom.cdx.json"), sbom.stdout);
  report("SBOM", true, `CycloneDX ${document.specVersion}, ${document.components.length} components → artefacts/sbom.cdx.json`);
} else {
  report(
    "SBOM",
    false,
    "npm sbom failed",
    sbom.stderr.split("\n").filter((line) => line && !line.includes("nodedir")),
  );
}

// 5. Advisories: only where the registry answers. An answer with high or
// critical advisories fails; no answer is reported as such.
const audit = spawnSync("npm", ["audit", "--json", "--audit-level=high"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
let auditJson: {
  metadata?: { vulnerabilities?: Record<string, number> };
  message?: string;
  error?: { summary?: string; code?: string };
} | null = null;
try {
  auditJson = JSON.parse(audit.stdout);
} catch {
  auditJson = null;
}
const counts = auditJson?.metadata?.vulnerabilities;
if (counts) {
  const serious = (counts.high ?? 0) + (counts.critical ?? 0);
  report("advisories", serious === 0, `npm audit: ${JSON.stringify(counts)}`);
} else {
  const why =
    auditJson?.message ??
    auditJson?.error?.summary ??
    audit.stderr.split("\n").find((line) => /warn audit|error/.test(line)) ??
    "no answer";
  console.log(`– advisories: UNAVAILABLE, the registry does not offer the audit endpoint here (${why.trim().slice(0, 200)}); not checked`);
}

process.exit(failed ? 1 : 0);
