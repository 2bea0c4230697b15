import { NextResponse } from "next/server";
import { presentUser } from "@/server/accounts/present";
import { requireUser } from "@/server/auth/current-user";
import { handle } from "@/server/http";

export const GET = handle(async () => {
  const user = await requireUser();
  return NextResponse.json({ user: presentUser(user), emailRequest: null });
});
