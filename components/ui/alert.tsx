type Tone = "error" | "success" | "warning" | "info";

/** Errors are announced immediately (role=alert); other tones politely. */
export function Alert({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}
