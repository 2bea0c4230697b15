// Time strings as the SDK sends them ("30s", "1h30m", "2d") or ISO dates
// (sleepUntil, Date timeouts). Also accepts ms-style words ("1 hour").
const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1_000,
  sec: 1_000,
  secs: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  y: 31_557_600_000,
  year: 31_557_600_000,
  years: 31_557_600_000,
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T|\s|$)/;

/** Milliseconds of a duration string, or undefined when it is not one. */
export function parseDurationMs(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) && input >= 0 ? input : undefined;
  const text = input.trim().toLowerCase();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)/g;
  if (text.replace(part, "").trim() !== "") return undefined; // not only <number><unit> pairs
  let total = 0;
  for (const match of text.matchAll(part)) {
    const unit = UNIT_MS[match[2]!];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
  }
  return total;
}

/** Absolute engine time (ms) for a duration relative to `nowMs`, or an ISO date. */
export function resolveTime(input: string | number | undefined | null, nowMs: number): number | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === "string" && ISO_DATE.test(input.trim())) {
    const at = Date.parse(input);
    return Number.isNaN(at) ? undefined : at;
  }
  const ms = parseDurationMs(input);
  return ms === undefined ? undefined : nowMs + ms;
}
