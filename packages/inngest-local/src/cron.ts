// Cron triggers: 5 fields (or descriptors like @hourly), optional "TZ=Area/City "
// or "CRON_TZ=..." prefix, evaluated against engine time.
import { CronExpressionParser } from "cron-parser";

export function splitCron(spec: string): { expression: string; tz?: string } {
  const match = /^\s*(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(spec);
  if (match) return { expression: match[2]!.trim(), tz: match[1]! };
  return { expression: spec.trim() };
}

/** The first fire time strictly after `afterMs`. Throws on an invalid expression. */
export function nextCronTime(spec: string, afterMs: number): number {
  const { expression, tz } = splitCron(spec);
  const fields = expression.split(/\s+/);
  if (!expression.startsWith("@") && fields.length !== 5) {
    throw new Error(`cron "${spec}" must have 5 fields`);
  }
  const parsed = CronExpressionParser.parse(expression, {
    currentDate: new Date(afterMs),
    ...(tz ? { tz } : {}),
  });
  return parsed.next().getTime();
}
