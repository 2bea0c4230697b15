import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { finishSignIn } from "@/server/auth/finish-sign-in";
import { authOptions } from "@/server/auth/options";

const handler = NextAuth(authOptions);

// A credentials sign-in leaves with the device cookie on success, and as a
// 423 with Retry-After when the account is locked (server/auth/finish-sign-in.ts).
async function POST(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return finishSignIn(request, await handler(request, context));
}

export { handler as GET, POST };
