import { describe, expect, it } from "vitest";
import { checkLicences, checkLockfile, findSecrets, licenceAllowed } from "./checks";

// Planted values are assembled at run time, so that this file itself stays
// clean for the scanner it tests.
const join = (...parts: string[]) => parts.join("");

describe("secret scan", () => {
  const none = new Set<string>();

  it.each([
    ["private key", join("-----BEGIN ", "RSA PRIVATE KEY-----")],
    ["AWS access key id", join("aws_key = ", "AKIA", "Q3EGJ7KX2VN5RT8M")],
    ["GitHub token", join("token: gh", "p_", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9")],
    ["Inngest production key", join("INNGEST_SIGNING_KEY=signkey-", "prod-", "9f".repeat(32))],
    ["password in a URL", join("DATABASE_URL=postgresql://wallet:", "Xq7vR2mK9pL4@db.internal:5432/wallet")],
    ["assigned secret", join('NEXTAUTH_SECRET="', "k8J2mQ9vX4pL7nR3tW6yB1cF5hD0gS2a", '"')],
  ])("finds a planted %s", (rule, line) => {
    expect(findSecrets("planted.ts", `const a = 1;\n${line}\n`, none)).toEqual([{ file: "planted.ts", line: 2, rule }]);
  });

  it("leaves alone what is plainly not a live credential", () => {
    const text = [
      "DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:54329/app",
      "SMTP_URL=smtps://user:password@smtp.example.com:465",
      'const TOKEN = "integration-health-token-0123456789abcdef";',
      'const SECRET = "a-production-secret-of-32-chars!";',
    ].join("\n");
    expect(findSecrets("fine.ts", text, none)).toEqual([]);
  });

  it("allows the values the repository commits on purpose (refused by server/env.ts in production)", () => {
    const committed = join("k8J2mQ9vX4pL7nR3", "tW6yB1cF5hD0gS2a");
    const line = `NEXTAUTH_SECRET="${committed}"`;
    expect(findSecrets("dev.ts", line, new Set([committed]))).toEqual([]);
    expect(findSecrets("dev.ts", line, none)).toHaveLength(1);
  });
});

describe("lock file", () => {
  const local = ["packages/engine"];
  const sha = "sha512-" + "A".repeat(86) + "==";

  it("accepts registry packages with integrity (resolved omitted or on the registry) and the repository's own packages", () => {
    expect(
      checkLockfile(
        {
          "": {},
          "node_modules/a": { version: "1.0.0", integrity: sha },
          "node_modules/b": { version: "1.0.0", integrity: sha, resolved: "https://registry.npmjs.org/b/-/b-1.0.0.tgz" },
          "node_modules/@w/engine": { link: true, resolved: "packages/engine" },
          "packages/engine": { version: "0.1.0" },
        },
        "https://registry.npmjs.org/",
        local,
      ),
    ).toEqual([]);
  });

  it("refuses a package from another host, one without integrity, and a link outside the repository's packages", () => {
    expect(
      checkLockfile(
        {
          "node_modules/evil": { version: "1.0.0", integrity: sha, resolved: "https://evil.example/evil-1.0.0.tgz" },
          "node_modules/git": { version: "1.0.0", resolved: "git+ssh://git@github.com/x/y.git#abc" },
          "node_modules/weak": { version: "1.0.0", integrity: "sha1-abc" },
          "node_modules/linked": { link: true, resolved: "../elsewhere" },
        },
        "https://registry.npmjs.org/",
        local,
      ).map((problem) => problem.path),
    ).toEqual(["node_modules/evil", "node_modules/git", "node_modules/git", "node_modules/weak", "node_modules/linked"]);
  });
});

describe("licences", () => {
  const allowed = new Set(["MIT", "Apache-2.0", "ISC"]);

  it.each([
    ["MIT", true],
    ["(MIT OR GPL-3.0-only)", true],
    ["Apache-2.0 AND MIT", true],
    ["MIT AND GPL-3.0-only", false],
    ["GPL-3.0-only", false],
    ["", false],
  ])("%j allowed: %s", (expression, expected) => expect(licenceAllowed(expression, allowed)).toBe(expected));

  it("lists what is outside the allowlist, except the reasoned exceptions and the repository's own packages", () => {
    const problems = checkLicences(
      {
        "node_modules/ok": { version: "1.0.0", license: "MIT" },
        "node_modules/copyleft": { version: "2.0.0", license: "AGPL-3.0-only" },
        "node_modules/unknown": { version: "3.0.0" },
        "node_modules/@img/sharp-libvips-linux-x64": { version: "1.0.0", license: "LGPL-3.0-or-later" },
        "packages/engine": { version: "0.1.0" },
      },
      { allowed: [...allowed], exceptions: { "@img/sharp-*": "reason" } },
      ["packages/engine"],
    );
    expect(problems).toEqual([
      { name: "copyleft", version: "2.0.0", license: "AGPL-3.0-only" },
      { name: "unknown", version: "3.0.0", license: "(none declared)" },
    ]);
  });
});
