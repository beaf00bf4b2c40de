/**
 * Pinning a read that shaped a decision (an alarm, a chart, a query's results, a CloudTrail
 * event) onto the incident: a snapshot of what the responder saw goes on the activity log.
 */
import type { PinSnapshot } from "../ipc";
import type { IncidentJournal } from "./journal.svelte";

/** The most rows of a query's results a pin keeps (as the journal's reports show them). */
export const PIN_ROWS = 50;

export function pin(
  journal: IncidentJournal,
  at: string,
  region: string,
  title: string,
  snapshot: PinSnapshot,
): void {
  const kept =
    snapshot.kind === "query" ? { ...snapshot, rows: snapshot.rows.slice(0, PIN_ROWS) } : snapshot;
  journal.add({
    kind: "pin",
    at,
    region,
    title,
    cli: "",
    outcome: "success",
    result: "",
    detail: JSON.stringify(kept),
  });
}
