/**
 * Diagnosis, CloudTrail: the management events of the last hours, changes only by default
 * (the read-only calls of a busy account drown the one that broke it). `LookupEvents` takes
 * one attribute, so the read asks for changes and the user, event and resource filters narrow
 * what came back, on screen.
 */
import { commands, type IpcError, type TrailEvent, type TrailQuery, toIpcError } from "../ipc";
import { hoursBefore } from "./time";

/** At most this many events per read, newest first; the panel says so. */
export const TRAIL_LIMIT = 200;

export interface TrailFilters {
  user: string;
  event: string;
  resource: string;
}

const has = (field: string, filter: string) => {
  const needle = filter.trim().toLowerCase();
  return needle === "" || field.toLowerCase().includes(needle);
};

/** Whether an event passes every filter (substrings, ignoring case). */
export function trailMatches(event: TrailEvent, filters: TrailFilters): boolean {
  return (
    has(event.username, filters.user) &&
    (has(event.eventName, filters.event) || has(event.eventSource, filters.event)) &&
    (filters.resource.trim() === "" ||
      event.resources.some((r) => has(r.resourceName, filters.resource)))
  );
}

/** Events per username, most first: who has been changing things. */
export function countByWho(events: TrailEvent[]): { username: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.username, (counts.get(e.username) ?? 0) + 1);
  return [...counts.entries()]
    .map(([username, count]) => ({ username, count }))
    .sort((a, b) => b.count - a.count || a.username.localeCompare(b.username));
}

/** The event's record, indented; as stored when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export class TrailStore {
  events = $state<TrailEvent[]>([]);
  error = $state<IpcError | null>(null);
  loading = $state(false);
  hours = $state(6);
  /** Ask CloudTrail for changes only (`ReadOnly=false`). */
  changesOnly = $state(true);
  filters = $state<TrailFilters>({ user: "", event: "", resource: "" });
  view = $state<"events" | "who">("events");
  /** Ids of the events shown with their whole record. */
  expanded = $state<string[]>([]);
  /** The last read, for its AWS CLI. */
  sent = $state<TrailQuery | null>(null);

  readonly shown = $derived(this.events.filter((e) => trailMatches(e, this.filters)));
  /** Counts per user over what the other filters let through. */
  readonly byWho = $derived(
    countByWho(this.events.filter((e) => trailMatches(e, { ...this.filters, user: "" }))),
  );

  queryFor(region: string, now: string): TrailQuery {
    return {
      region,
      start: hoursBefore(now, this.hours),
      end: now,
      lookup: this.changesOnly ? { attribute: "ReadOnly", value: "false" } : null,
      maxResults: TRAIL_LIMIT,
    };
  }

  async load(account: string, region: string, now: string): Promise<void> {
    this.loading = true;
    this.error = null;
    const query = this.queryFor(region, now);
    this.sent = query;
    try {
      this.events = await commands.lookupTrailEvents(account, query);
    } catch (thrown) {
      this.events = [];
      this.error = toIpcError(thrown);
    } finally {
      this.loading = false;
    }
  }

  /** Shows only `username`'s events, from the group-by-who view. */
  showUser(username: string): void {
    this.filters.user = username;
    this.view = "events";
  }

  toggleExpanded(id: string): void {
    this.expanded = this.expanded.includes(id)
      ? this.expanded.filter((e) => e !== id)
      : [...this.expanded, id];
  }
}
