/**
 * Diagnosis: a Logs Insights query over chosen log groups, and CloudTrail's recent management
 * events (who changed what, when). Both are read-only; each panel keeps its own error.
 */
import {
  commands,
  type InsightsResult,
  type InsightsTemplate,
  type IpcError,
  type LogGroup,
  type TrailEvent,
  toIpcError,
} from "../ipc";
import { hoursBefore } from "./time";

/** Whether a CloudTrail event matches the filter text (name, user, source or resource). */
export function trailMatches(event: TrailEvent, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === "") return true;
  return [
    event.eventName,
    event.username,
    event.eventSource,
    ...event.resources.map((r) => r.resourceName),
  ].some((field) => field.toLowerCase().includes(needle));
}

export class InsightsStore {
  groups = $state<LogGroup[]>([]);
  groupsError = $state<IpcError | null>(null);
  loadingGroups = $state(false);
  chosen = $state<string[]>([]);
  templates = $state<InsightsTemplate[]>([]);
  query = $state("");
  hours = $state(3);
  result = $state<InsightsResult | null>(null);
  error = $state<IpcError | null>(null);
  running = $state(false);
  /** The bounds of the last run. */
  range = $state<{ start: string; end: string } | null>(null);

  async load(account: string, region: string): Promise<void> {
    this.groupsError = null;
    // Another region's groups must not stay on screen (or be queried) under this region.
    this.groups = [];
    this.loadingGroups = true;
    try {
      const [groups, templates] = await Promise.all([
        commands.listLogGroups(account, region),
        this.templates.length > 0 ? this.templates : commands.insightsTemplates(),
      ]);
      this.groups = groups;
      this.templates = templates;
      const names = groups.map((g) => g.name);
      const kept = this.chosen.filter((n) => names.includes(n));
      // The applications' own logs: AWS's groups (Run Command output...) rarely hold the errors.
      this.chosen = kept.length > 0 ? kept : names.filter((n) => !n.startsWith("/aws/"));
      if (this.query === "" && templates[0]) this.query = templates[0].query;
    } catch (thrown) {
      this.groups = [];
      this.groupsError = toIpcError(thrown);
    } finally {
      this.loadingGroups = false;
    }
  }

  async run(account: string, region: string, now: string): Promise<void> {
    this.running = true;
    this.error = null;
    const range = { start: hoursBefore(now, this.hours), end: now };
    this.range = range;
    try {
      this.result = await commands.runLogsInsights(account, {
        region,
        logGroups: [...this.chosen],
        query: this.query,
        ...range,
      });
    } catch (thrown) {
      this.result = null;
      this.error = toIpcError(thrown);
    } finally {
      this.running = false;
    }
  }
}

export class TrailStore {
  events = $state<TrailEvent[]>([]);
  error = $state<IpcError | null>(null);
  loading = $state(false);
  hours = $state(6);
  filter = $state("");
  range = $state<{ start: string; end: string } | null>(null);
  readonly shown = $derived(this.events.filter((e) => trailMatches(e, this.filter)));

  async load(account: string, region: string, now: string): Promise<void> {
    this.loading = true;
    this.error = null;
    const range = { start: hoursBefore(now, this.hours), end: now };
    this.range = range;
    try {
      this.events = await commands.lookupTrailEvents(account, {
        region,
        ...range,
        lookup: null,
        maxResults: 50,
      });
    } catch (thrown) {
      this.events = [];
      this.error = toIpcError(thrown);
    } finally {
      this.loading = false;
    }
  }
}
