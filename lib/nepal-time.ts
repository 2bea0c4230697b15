// Nepal time (Asia/Kathmandu) is UTC+05:45 all year: no daylight saving since
// 1986. Times are stored in UTC; people enter and read them in Nepal time.

export const NEPAL_OFFSET_MS = (5 * 60 + 45) * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant the Nepal calendar day containing `instant` began. */
export function startOfNepalDay(instant: Date): Date {
  const local = instant.getTime() + NEPAL_OFFSET_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS - NEPAL_OFFSET_MS);
}

/** "2026-11-23T09:30" (what a datetime-local input holds), read as Nepal time; null when malformed. */
export function fromNepalLocal(input: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(input.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute) - NEPAL_OFFSET_MS;
  const date = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March: refuse instead.
  const back = new Date(utc + NEPAL_OFFSET_MS);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59)
    return null;
  return date;
}

/** The Nepal wall-clock parts of an instant. */
export function nepalParts(instant: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const local = new Date(instant.getTime() + NEPAL_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** "2026-11-23T09:30" in Nepal time (for a datetime-local input's value). */
export function toNepalLocal(instant: Date): string {
  const { year, month, day, hour, minute } = nepalParts(instant);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`;
}

/** "23 Nov 2026, 09:30 NPT": how pages and emails show a time. */
export function formatNepalTime(instant: Date): string {
  const { year, month, day, hour, minute } = nepalParts(instant);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${day} ${months[month - 1]} ${year}, ${pad(hour)}:${pad(minute)} NPT`;
}

/** The instant a Nepal calendar day ("2026-12-31") ends, exclusive; null when malformed. */
export function endOfNepalDay(date: string): Date | null {
  const start = fromNepalLocal(`${date}T00:00`);
  return start && new Date(start.getTime() + DAY_MS);
}
