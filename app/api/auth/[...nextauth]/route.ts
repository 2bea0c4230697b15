import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { requestMeta } from "@/server/audit";
import { finishSignIn } from "@/server/auth/finish-sign-in";
import { authOptions } from "@/server/auth/options";
import { withRequestMeta } from "@/server/auth/request-context";

const handler = NextAuth(authOptions);

// next-auth's events get no request: the sign-out audit entry takes the
// client's IP and user agent from this context. A credentials sign-in leaves
// with the device cookie on success, and as a 423 with Retry-After when the
// account is locked (server/auth/finish-sign-in.ts).
function GET(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return withRequestMeta(requestMeta(request.headers), () => handler(request, context));
}

async function POST(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return finishSignIn(request, await withRequestMeta(requestMeta(request.headers), () => handler(request, context)));
}

export { GET, POST };
