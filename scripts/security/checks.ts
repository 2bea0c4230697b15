// The offline security checks of CI (issue 15, item 5), as pure functions
// over what they read, so each can be tested with a planted input:
// secrets in the tree, where every locked package comes from, and the
// licences of every dependency. scripts/security/run.ts applies them to the
// repository.

// --- secrets ------------------------------------------------------------

export type SecretFinding = { file: string; line: number; rule: string };

const SECRET_RULES: { rule: string; pattern: RegExp }[] = [
  { rule: "private key", pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----/ },
  { rule: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { rule: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { rule: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { rule: "Stripe live key", pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/ },
  { rule: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { rule: "npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { rule: "Inngest production key", pattern: /\b(?:signkey|evtkey)-prod-[0-9a-f]{32,}\b/i },
  { rule: "password in a URL", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:(?!\$\{)[^\s@'"]{6,}@[a-z0-9.-]+/i },
  // A secret-looking name given a long literal: the value must look random
  // (letters and digits mixed, no spaces) to count.
  {
    rule: "assigned secret",
    pattern:
      /\b[A-Z0-9_]*(?:SECRET|PASSWORD|API_KEY|PRIVATE_KEY|TOKEN)[A-Z0-9_]*\s*[:=]\s*["'](?=[^"'\s]*\d)(?=[^"'\s]*[A-Za-z])[^"'\s]{24,}["']/,
  },
];

const LOOPBACK_OR_EXAMPLE_HOST =
  /@(?:127\.0\.0\.1|localhost|\[::1\]|[a-z0-9.-]*\.(?:example|test|invalid)|(?:[a-z0-9-]+\.)*example\.(?:com|org|net))(?=[:/]|$)/i;

/**
 * A match that is plainly not a live credential: a URL password for a
 * loopback or reserved example host (the local database's postgres:postgres),
 * or a literal written to look fake (hyphenated words, "0123456789",
 * "abcdef"), which is how this repository writes its test values.
 */
function plainlyFake(rule: string, match: string): boolean {
  if (rule === "password in a URL")
    return LOOPBACK_OR_EXAMPLE_HOST.test(match) || /:(?:password|secret|pass|postgres|changeme)@/i.test(match);
  if (rule !== "assigned secret") return false;
  const value = match.slice(match.search(/["']/) + 1, -1);
  const wordParts = value.split(/[-_]/).filter((part) => /^[a-z]{2,}$/i.test(part)).length;
  return /0123456789|abcdef/i.test(value) || wordParts >= 3;
}

/**
 * Secret-looking strings in one file's text. `allowed` holds the values the
 * repository commits on purpose (development and e2e secrets, refused by
 * server/env.ts in production); a line whose match contains one is fine.
 */
export function findSecrets(file: string, text: string, allowed: ReadonlySet<string>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split("\n");
  lines.forEach((content, index) => {
    for (const { rule, pattern } of SECRET_RULES) {
      const match = pattern.exec(content);
      if (!match) continue;
      if ([...allowed].some((value) => match[0].includes(value)) || plainlyFake(rule, match[0])) continue;
      if (/secret-scan: allow/.test(content)) continue;
      findings.push({ file, line: index + 1, rule });
    }
  });
  return findings;
}

// --- the lock file ------------------------------------------------------

export type LockEntry = { version?: string; resolved?: string; integrity?: string; link?: boolean; license?: string };
export type LockProblem = { path: string; problem: string };

/**
 * Every package must come from the registry with an integrity hash (sha512):
 * either `resolved` on the registry, or no `resolved` at all (this project's
 * .npmrc omits it, and npm then fetches from the configured registry). Only
 * the repository's own workspace packages and stubs may be local.
 */
export function checkLockfile(packages: Record<string, LockEntry>, registry: string, localDirs: readonly string[]): LockProblem[] {
  const problems: LockProblem[] = [];
  const registryPrefix = registry.endsWith("/") ? registry : `${registry}/`;
  for (const [path, entry] of Object.entries(packages)) {
    if (path === "") continue;
    const local = localDirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
    if (entry.link || local) {
      if (!local && !(entry.resolved && localDirs.some((dir) => entry.resolved === dir))) {
        problems.push({ path, problem: `links to ${entry.resolved ?? "?"}, outside the repository's own packages` });
      }
      continue;
    }
    if (entry.resolved !== undefined && !entry.resolved.startsWith(registryPrefix)) {
      problems.push({ path, problem: `resolved from ${entry.resolved}, not from ${registryPrefix}` });
    }
    if (!entry.integrity?.startsWith("sha512-")) problems.push({ path, problem: "no sha512 integrity hash" });
  }
  return problems;
}

// --- licences -----------------------------------------------------------

export type LicencePolicy = { allowed: string[]; exceptions: Record<string, string> };
export type LicenceProblem = { name: string; version: string; license: string };

/** Whether an SPDX expression ("MIT", "(MIT OR Apache-2.0)", "Apache-2.0 AND MIT") is satisfied by the allowed ids. */
export function licenceAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const text = expression.replace(/[()]/g, " ").trim();
  if (!text) return false;
  // OR binds looser than AND: any alternative whose every part is allowed.
  return text
    .split(/\s+OR\s+/i)
    .some((alternative) => alternative.split(/\s+AND\s+/i).every((id) => allowed.has(id.trim().replace(/\+$/, ""))));
}

/** The package's name from its lock file path (node_modules/a/node_modules/@b/c → @b/c). */
export function packageName(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  return at === -1 ? path : path.slice(at + "node_modules/".length);
}

function excepted(name: string, exceptions: Record<string, string>): boolean {
  return Object.keys(exceptions).some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

export function checkLicences(packages: Record<string, LockEntry>, policy: LicencePolicy, localDirs: readonly string[]): LicenceProblem[] {
  const allowed = new Set(policy.allowed);
  const problems: LicenceProblem[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    if (path === "" || entry.link || localDirs.some((dir) => path === dir || path.startsWith(`${dir}/`))) continue;
    const name = packageName(path);
    if (excepted(name, policy.exceptions)) continue;
    const license = entry.license ?? "";
    if (!licenceAllowed(license, allowed)) problems.push({ name, version: entry.version ?? "?", license: license || "(none declared)" });
  }
  return problems;
}
