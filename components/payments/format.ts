import type { OccurrenceView, ScheduleView } from "@/lib/api";

// Words the payment pages show for the API's values.

export const REPEAT_OPTIONS = [
  { value: "none", label: "Does not repeat" },
  { value: "daily", label: "Every day" },
  { value: "weekly", label: "Every week" },
  { value: "monthly", label: "Every month" },
] as const;

export function repeatLabel(repeat: ScheduleView["repeat"]): string {
  return REPEAT_OPTIONS.find((option) => option.value === repeat)?.label ?? repeat;
}

export const SCHEDULE_STATUS: Record<ScheduleView["status"], { label: string; badge: string }> = {
  active: { label: "Active", badge: "badge-success" },
  paused: { label: "Paused", badge: "badge-warning" },
  completed: { label: "Completed", badge: "badge-muted" },
  cancelled: { label: "Cancelled", badge: "badge-muted" },
};

export const OCCURRENCE_STATUS: Record<OccurrenceView["status"], string> = {
  scheduled: "Scheduled",
  succeeded: "Paid",
  retrying: "Waiting to retry",
  failed: "Failed",
  skipped: "Skipped",
  missed: "Missed",
};

/** "never", "after" or "on": how a schedule's end is chosen in the forms. */
export function endChoiceOf(schedule: Pick<ScheduleView, "endsAfter" | "endsOn">): "never" | "after" | "on" {
  if (schedule.endsAfter !== null) return "after";
  if (schedule.endsOn !== null) return "on";
  return "never";
}

export function endLabel(schedule: Pick<ScheduleView, "endsAfter" | "endsOn" | "repeat">): string {
  if (schedule.repeat === "none") return "After one payment";
  if (schedule.endsAfter !== null) return `After ${schedule.endsAfter} ${schedule.endsAfter === 1 ? "payment" : "payments"}`;
  if (schedule.endsOn !== null) return `On ${schedule.endsOn} (Nepal time)`;
  return "Never";
}
