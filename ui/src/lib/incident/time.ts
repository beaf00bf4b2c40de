/**
 * Times on the Incident screen. Every range ends at the account's "now" (the practice
 * account runs its own clock), and times show in UTC, as CloudWatch and CloudTrail report them.
 */

/** RFC 3339 in UTC, to the second, as the backend takes it. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The instant `hours` before `end` (RFC 3339). */
export function hoursBefore(end: string, hours: number): string {
  return iso(Date.parse(end) - hours * 3_600_000);
}

/** `2026-11-28 10:04:00 UTC`, readable and unambiguous. */
export function showTime(text: string | null | undefined): string {
  if (!text) return "";
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  return `${iso(ms).slice(0, 19).replace("T", " ")} UTC`;
}

/** `10:04:00`, for dense tables where the date is the same all day. */
export function showClock(text: string | null | undefined): string {
  if (!text) return "";
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : iso(ms).slice(11, 19);
}

/**
 * Calls `read` every `intervalMs` until `done` says so or `signal` aborts, handing each result
 * to `onValue`. The first read is immediate. Errors end the loop and are thrown.
 */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  onValue: (value: T) => void,
  intervalMs: number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const value = await read();
    if (signal.aborted) return;
    onValue(value);
    if (done(value)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
