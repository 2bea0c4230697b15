import "server-only";
import type { AccountExport } from "@/lib/api";
import { recordAudit, type RequestMeta } from "@/server/audit";
import { db } from "@/server/db";

/**
 * Everything the service holds about the user, as JSON they can keep: the
 * account, every address it knows for them, their email requests with where
 * each link went, their sessions and their own audit events. Never a
 * password hash, a token hash or a lock counter: those are the service's
 * secrets, not the user's data.
 */
export async function exportAccount(options: { user: { id: string }; meta: RequestMeta }): Promise<AccountExport> {
  const { user, meta } = options;
  await recordAudit({ userId: user.id, action: "account.exported", meta });
  const account = await db.user.findUniqueOrThrow({
    where: { id: user.id },
    select: {
      id: true,
      phone: true,
      fullName: true,
      email: true,
      emailVerifiedAt: true,
      createdAt: true,
      emailRequests: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          kind: true,
          status: true,
          oldEmail: true,
          newEmail: true,
          createdAt: true,
          closedAt: true,
          links: { orderBy: { createdAt: "asc" }, select: { hop: true, sentTo: true, createdAt: true, expiresAt: true, usedAt: true } },
        },
      },
      sessions: { orderBy: { createdAt: "asc" }, select: { createdAt: true, lastSeenAt: true, endedAt: true, ip: true, userAgent: true } },
      auditEvents: { orderBy: { id: "asc" }, select: { action: true, createdAt: true, ip: true, userAgent: true, details: true } },
    },
  });
  const iso = (date: Date) => date.toISOString();
  const isoOrNull = (date: Date | null) => date && date.toISOString();

  const addresses = new Map<string, AccountExport["addresses"][number]["role"]>();
  if (account.email) addresses.set(account.email, "current");
  for (const request of account.emailRequests) {
    if (!addresses.has(request.newEmail)) addresses.set(request.newEmail, "requested");
    if (request.oldEmail && !addresses.has(request.oldEmail)) addresses.set(request.oldEmail, "replaced");
  }

  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: account.id,
      phone: account.phone,
      fullName: account.fullName,
      email: account.email,
      emailVerifiedAt: isoOrNull(account.emailVerifiedAt),
      createdAt: iso(account.createdAt),
    },
    addresses: [...addresses].map(([email, role]) => ({ email, role })),
    emailRequests: account.emailRequests.map((request) => ({
      id: request.id,
      kind: request.kind,
      status: request.status,
      oldEmail: request.oldEmail,
      newEmail: request.newEmail,
      createdAt: iso(request.createdAt),
      closedAt: isoOrNull(request.closedAt),
      links: request.links.map((link) => ({
        hop: link.hop,
        sentTo: link.sentTo,
        createdAt: iso(link.createdAt),
        expiresAt: iso(link.expiresAt),
        usedAt: isoOrNull(link.usedAt),
      })),
    })),
    sessions: account.sessions.map((session) => ({
      createdAt: iso(session.createdAt),
      lastSeenAt: iso(session.lastSeenAt),
      endedAt: isoOrNull(session.endedAt),
      ip: session.ip,
      userAgent: session.userAgent,
    })),
    auditEvents: account.auditEvents.map((event) => ({
      action: event.action,
      at: iso(event.createdAt),
      ip: event.ip,
      userAgent: event.userAgent,
      details: (event.details ?? {}) as Record<string, unknown>,
    })),
  };
}
