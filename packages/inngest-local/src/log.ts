// One line per meaningful thing. Callers pass identifiers only (names, ids,
// counts): never event or step payloads, which may hold secrets. Step error
// messages come from the app and may name an address (an SMTP 550, a unique
// violation): every address in a line is masked to its first character and
// its domain (r***@example.com), as the app's own logger does.
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const EMAIL_ADDRESS = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[^\s<>"'(),;:@]+/gu;

/** Masks every email address in a text: r***@example.com. */
export function maskAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, (address) => {
    const at = address.lastIndexOf("@");
    return `${Array.from(address)[0]}***${address.slice(at)}`;
  });
}

export function formatFields(fields?: LogFields): string {
  if (!fields) return "";
  let out = "";
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = maskAddresses(String(value));
    out += ` ${key}=${/[\s"=]/.test(text) || text === "" ? JSON.stringify(text) : text}`;
  }
  return out;
}

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; prefix?: string } = {}): Logger {
  const min = ORDER[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const prefix = options.prefix ?? "engine";
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    write(`${new Date().toISOString()} ${prefix} ${level.toUpperCase().padEnd(5)} ${maskAddresses(message)}${formatFields(fields)}`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
