import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

// The list reporter marks a skipped test with "-" but not why. Against a
// deployment many tests skip for want of the database, the engine or the SMTP
// switch; this prints one line per skipped test with its reason at the end.
export default class SkipReasonsReporter implements Reporter {
  private readonly lines: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== "skipped") return;
    const reason = [...result.annotations, ...test.annotations].find((annotation) => annotation.type === "skip")?.description;
    this.lines.push(`  skipped: ${test.titlePath().filter(Boolean).slice(1).join(" › ")}: ${reason || "no reason given"}`);
  }

  onEnd(_result: FullResult): void {
    if (this.lines.length) console.log(`\n${this.lines.join("\n")}`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
