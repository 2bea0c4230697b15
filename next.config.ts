import { spawnSync } from "node:child_process";
import type { NextConfig } from "next";

/**
 * The commit as the build id, so that two builds of one commit name their
 * files alike (the release's file list repeats, scripts/release/build.ts).
 * A tree with uncommitted changes, or no git: Next's random id, since two
 * such builds of one commit differ.
 */
function commitBuildId(): string | null {
  const git = (...args: string[]) => spawnSync("git", args, { encoding: "utf8" });
  const head = git("rev-parse", "HEAD");
  if (head.status !== 0 || git("status", "--porcelain").stdout.trim() !== "") return null;
  return head.stdout.trim();
}

const nextConfig: NextConfig = {
  // A self-contained server (.next/standalone) with only the node_modules files it traces: what `npm run release` packs.
  output: "standalone",
  // argon2 loads its binary through node-gyp-build, which the tracer cannot
  // follow: it copies the prebuilds only, and the prebuilt Linux binary
  // crashes (SIGSEGV) with the host's Node. The one npm install built here is
  // the one `next start` loads; the standalone server must ship it too.
  outputFileTracingIncludes: { "/**": ["./node_modules/argon2/build/Release/argon2.node"] },
  generateBuildId: commitBuildId,
  // Native and pg-based packages stay outside the bundle.
  // prom-client too: one copy of its classes and default collectors per process, whatever bundle loads server/metrics.ts.
  serverExternalPackages: ["argon2", "pg", "@prisma/adapter-pg", "nodemailer", "prom-client"],
  poweredByHeader: false,
  logging: {
    // Link tokens travel in query strings (/email/confirm?token=…); the dev
    // server's request log must never print them.
    incomingRequests: { ignore: [/[?&]token=/] },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          // Link-landing pages carry a token in the URL: never send it on.
          // strict-origin sends the origin alone, never a path or query.
          // Not no-referrer: under it a browser sends `Origin: null` with a
          // form POST, and Next then refuses every server action posted
          // without JavaScript (its own same-origin check, like ours).
          { key: "Referrer-Policy", value: "strict-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
