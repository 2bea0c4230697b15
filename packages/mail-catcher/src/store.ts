import { randomUUID } from "node:crypto";

export interface CaughtMessage {
  id: string;
  /** The From header, as `Name <address>` or just the address. */
  from: string;
  /** The SMTP envelope recipients (who actually received it, Bcc included). */
  to: string[];
  subject: string;
  /** The plain-text part; "" when the message had none. */
  text: string;
  /** The HTML part; "" when the message had none. */
  html: string;
  /** ISO 8601 time the catcher accepted the message. */
  receivedAt: string;
}

export type IncomingMessage = Omit<CaughtMessage, "id" | "receivedAt">;

/** The inbox. It lives in memory only: a restart loses every message. */
export interface MessageStore {
  add(message: IncomingMessage): CaughtMessage;
  /** Newest first; `to` matches any envelope recipient exactly, ignoring case. */
  list(filter?: { to?: string }): CaughtMessage[];
  get(id: string): CaughtMessage | undefined;
  /** Empties the inbox and says how many messages it held. */
  clear(): number;
  readonly size: number;
}

export function createMessageStore(maxMessages: number, now: () => Date = () => new Date()): MessageStore {
  // Oldest first, so the cap drops from the front.
  const messages: CaughtMessage[] = [];
  return {
    add(incoming) {
      const message: CaughtMessage = { id: randomUUID(), ...incoming, to: [...incoming.to], receivedAt: now().toISOString() };
      messages.push(message);
      if (messages.length > maxMessages) messages.splice(0, messages.length - maxMessages);
      return message;
    },
    list(filter = {}) {
      const to = filter.to?.trim().toLowerCase();
      const newestFirst = messages.slice().reverse();
      return to ? newestFirst.filter((m) => m.to.some((address) => address.toLowerCase() === to)) : newestFirst;
    },
    get(id) {
      return messages.find((m) => m.id === id);
    },
    clear() {
      const deleted = messages.length;
      messages.length = 0;
      return deleted;
    },
    get size() {
      return messages.length;
    },
  };
}
