import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate, validate, and `migrate deploy` where
// Prisma's engine is available). The app reads DATABASE_URL through server/env.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:54329/app",
  },
});
