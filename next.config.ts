import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and pg-based packages stay outside the bundle.
  serverExternalPackages: ["argon2", "pg", "@prisma/adapter-pg", "nodemailer"],
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
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default nextConfig;
