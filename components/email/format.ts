const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", day: "numeric", month: "short" });

export function formatTime(iso: string): string {
  return TIME.format(new Date(iso));
}
