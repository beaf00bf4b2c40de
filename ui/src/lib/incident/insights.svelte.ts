/**
 * Diagnosis, Logs Insights: a query over chosen log groups, read-only. Results stream in while
 * the query scans (each read replaces the table) and the query can be stopped; once it ends,
 * what it matched and scanned is shown, since Logs Insights bills per byte scanned.
 */

import { entryCostOf } from "../cost/cost";
import {
  commands,
  type Estimate,
  type InsightsProgress,
  type InsightsQuery,
  type InsightsTemplate,
  type IpcError,
  type LogGroup,
  toIpcError,
} from "../ipc";
import { type IncidentJournal, outcomeOf } from "./journal.svelte";
import { hoursBefore } from "./time";

/** Logs Insights queries at most this many log groups at once. */
export const MAX_GROUPS = 50;
/** Log groups listed under the filter; accounts can have thousands, so the rest wait for it. */
export const GROUPS_LISTED = 100;

/** The groups whose name contains `filter`, ignoring case. */
export function matchGroups(groups: LogGroup[], filter: string): LogGroup[] {
  const needle = filter.trim().toLowerCase();
  if (needle === "") return groups;
  return groups.filter((g) => g.name.toLowerCase().includes(needle));
}

/** Each row as one lower-case text, cells apart, so a keystroke scans 10,000 strings, not
 * 10,000 rows of cells lowered again each time. */
export function searchable(rows: string[][]): string[] {
  return rows.map((row) => row.join("\u0001").toLowerCase());
}

/** The rows with a cell containing `filter`, ignoring case (`texts`: their `searchable`). */
export function matchRows(
  rows: string[][],
  filter: string,
  texts: string[] = searchable(rows),
): string[][] {
  const needle = filter.trim().toLowerCase();
  if (needle === "") return rows;
  return rows.filter((_, i) => texts[i]?.includes(needle));
}

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** `12.3 MB`: decimal units, as CloudWatch bills them. */
export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export class InsightsStore {
  /** The incident journal the finished queries go on, with what they cost. */
  constructor(private readonly journal: IncidentJournal | null = null) {}

  groups = $state<LogGroup[]>([]);
  groupsError = $state<IpcError | null>(null);
  loadingGroups = $state(false);
  /** What the group list is narrowed to. */
  groupFilter = $state("");
  chosen = $state<string[]>([]);
  templates = $state<InsightsTemplate[]>([]);
  query = $state("");
  hours = $state(3);
  /** The query's last read: status, rows so far, statistics. */
  progress = $state<InsightsProgress | null>(null);
  error = $state<IpcError | null>(null);
  running = $state(false);
  stopping = $state(false);
  stopError = $state<IpcError | null>(null);
  /** What the result rows are narrowed to, on screen only. */
  rowFilter = $state("");
  /** The last query sent, for its AWS CLI. */
  sent = $state<InsightsQuery | null>(null);
  /** What a query over the chosen groups can cost at most, before it runs. */
  estimate = $state<Estimate | null>(null);
  /** What the last query cost, from the bytes its statistics say it scanned. */
  actual = $state<Estimate | null>(null);

  readonly matching = $derived(matchGroups(this.groups, this.groupFilter));
  /** What the chosen groups hold: the most a query over them can scan. */
  readonly storedBytes = $derived(
    this.groups
      .filter((g) => this.chosen.includes(g.name))
      .reduce((sum, g) => sum + g.storedBytes, 0),
  );
  readonly listed = $derived(this.matching.slice(0, GROUPS_LISTED));
  readonly full = $derived(this.chosen.length >= MAX_GROUPS);
  /** Computed on the first filtered keystroke after each read, not on every streamed read. */
  readonly #texts = $derived(searchable(this.progress?.result.rows ?? []));
  readonly rows = $derived.by(() => {
    const rows = this.progress?.result.rows ?? [];
    return this.rowFilter.trim() === "" ? rows : matchRows(rows, this.rowFilter, this.#texts);
  });
  /** Whether the service refused the query text itself: shown beside the text. */
  readonly queryRejected = $derived(this.error?.code === "InvalidInput");
  /** Each run's token, so a stream of a run replaced by a newer one is ignored. */
  #run = 0;

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
      // The applications' own logs: AWS's groups (Run Command output...) rarely hold the
      // errors. When there are more than one query takes, which to pick is the user's call.
      const own = names.filter((n) => !n.startsWith("/aws/"));
      this.chosen = kept.length > 0 ? kept : own.length <= MAX_GROUPS ? own : [];
      if (this.query === "" && templates[0]) this.query = templates[0].query;
    } catch (thrown) {
      this.groups = [];
      this.groupsError = toIpcError(thrown);
    } finally {
      this.loadingGroups = false;
    }
  }

  /** Estimates a query over the chosen groups; an estimate that cannot be made shows none. */
  async estimateFor(account: string, region: string): Promise<void> {
    const bytes = this.storedBytes;
    this.estimate = await commands
      .estimateLogsInsights(account, region, bytes, false)
      .catch(() => null);
  }

  /** Adds or removes a group; refuses a group past the limit and says so (`full`). */
  toggle(name: string, on: boolean): boolean {
    if (!on) {
      this.chosen = this.chosen.filter((g) => g !== name);
      return true;
    }
    if (this.chosen.includes(name)) return true;
    if (this.full) return false;
    this.chosen = [...this.chosen, name];
    return true;
  }

  /** Starts the query and follows it to its end; partial rows show as they come. */
  async run(account: string, region: string, now: string): Promise<void> {
    const run = ++this.#run;
    this.running = true;
    this.error = null;
    this.stopError = null;
    this.progress = null;
    this.actual = null;
    const query: InsightsQuery = {
      region,
      logGroups: [...this.chosen],
      query: this.query,
      start: hoursBefore(now, this.hours),
      end: now,
    };
    this.sent = query;
    try {
      const last = await commands.runLogsInsights(account, query, (progress) => {
        if (run === this.#run) this.progress = progress;
      });
      if (run === this.#run) {
        this.progress = last;
        // What it cost is worked out beside the results, not before the query counts as done.
        void this.#cost(account, region, query, last, run);
      }
    } catch (thrown) {
      if (run === this.#run) {
        this.progress = null;
        this.error = toIpcError(thrown);
      }
    } finally {
      if (run === this.#run) this.running = false;
    }
  }

  /**
   * What a finished query cost, from the bytes it scanned; it goes on the incident as a
   * billable read with that cost, so the incident's and the month's totals include it.
   */
  async #cost(
    account: string,
    region: string,
    query: InsightsQuery,
    last: InsightsProgress,
    run: number,
  ): Promise<void> {
    const actual = await commands
      .estimateLogsInsights(account, region, last.result.bytesScanned, true)
      .catch(() => null);
    if (run === this.#run) this.actual = actual;
    this.journal?.add({
      kind: "query",
      at: query.end,
      region,
      title: `Logs Insights: ${query.logGroups.join(", ")}`,
      apiCall: "logs:StartQuery",
      cli: "",
      outcome: outcomeOf(last.status === "Complete" ? "Success" : last.status),
      result: `${last.result.rows.length} rows · ${humanBytes(last.result.bytesScanned)} scanned`,
      cost: entryCostOf(actual, true),
    });
  }

  /** Asks the service to stop the running query; its run then ends as Cancelled. */
  async stop(account: string): Promise<void> {
    const progress = this.progress;
    if (!this.running || !progress) return;
    this.stopping = true;
    this.stopError = null;
    try {
      await commands.stopLogsInsights(account, progress.region, progress.queryId);
    } catch (thrown) {
      this.stopError = toIpcError(thrown);
    } finally {
      this.stopping = false;
    }
  }
}
