const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", day: "numeric", month: "short" });

export function formatTime(iso: string): string {
  return TIME.format(new Date(iso));
}

const CLOCK = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** A time within the next minutes (a cooldown's end), to the second. */
export function formatClock(iso: string): string {
  return CLOCK.format(new Date(iso));
}
