import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { requestMeta } from "@/server/audit";
import { authOptions } from "@/server/auth/options";
import { withRequestMeta } from "@/server/auth/request-context";

const handler = NextAuth(authOptions);

// next-auth's events get no request: the sign-out audit entry takes the
// client's IP and user agent from this context.
function withMeta(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return withRequestMeta(requestMeta(request.headers), () => handler(request, context));
}

export { withMeta as GET, withMeta as POST };
