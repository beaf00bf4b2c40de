/**
 * What was done during the account's incident, for Analysis: each command sent, runbook
 * started, check run and change made, with its time, API call, the AWS CLI that does the same,
 * and how it ended. Write-through: `add` and `update` show the action at once and write it to
 * the SQLite journal behind it, in order, so the timeline survives a restart; a write that
 * fails leaves the action on screen, marked unsaved, with the reason, and can be retried.
 */
import {
  type EntryCost,
  type Incident,
  type IpcError,
  type JournalEntryKind,
  type JournalOutcome,
  type JournalProblem,
  journalCommands,
  type ReportLanguage,
  type StoredJournalEntry,
  toIpcError,
} from "../ipc";

export type EntryKind = JournalEntryKind;
export type EntryOutcome = JournalOutcome;

export interface JournalEntry {
  /** This window's handle for the entry (not the journal's row id). */
  id: number;
  kind: EntryKind;
  /** The account's time when it was done (RFC 3339). */
  at: string;
  region: string;
  /** What it was: `AWS-RunShellScript on i-…`, `AWSSupport-TroubleshootSSH`. */
  title: string;
  /** The API call, such as `ssm:SendCommand`; empty when not known. */
  apiCall: string;
  cli: string;
  outcome: EntryOutcome;
  /** The result in a line: statuses per instance, the runbook's status. */
  result: string;
  /** What it cost or will cost, when it is billable (or free by rule). */
  cost: EntryCost | null;
  /** A note's text, a pinned read's snapshot (JSON), a sent update's text. */
  detail: string | null;
  /** The journal's row id, once recorded: the timeline and the reports refer to it. */
  rowId: number | null;
  /** Why the journal does not have this entry as shown; `null` once it is on disk. */
  unsaved: string | null;
}

/** What callers record: the API call, the cost and the detail may be left out. */
export type NewEntry = Omit<
  JournalEntry,
  "id" | "apiCall" | "cost" | "detail" | "rowId" | "unsaved"
> & {
  apiCall?: string;
  cost?: EntryCost | null;
  detail?: string | null;
};

/** How many incidents Analysis lists. */
const LISTED = 50;

/** How a finished Run Command or runbook ended, from its status. */
export function outcomeOf(status: string): EntryOutcome {
  if (status === "Success") return "success";
  if (status === "Cancelled") return "cancelled";
  return "failed";
}

/** The report's language for the window's locale. */
export function reportLanguage(locale: string | null | undefined): ReportLanguage {
  return locale?.startsWith("ja") ? "ja" : "en";
}

/** A stored entry as a window shows it, under the handle `id`. */
export function shownAs(stored: StoredJournalEntry, id: number): JournalEntry {
  return {
    id,
    kind: stored.kind,
    at: stored.at,
    region: stored.region,
    title: stored.title,
    apiCall: stored.apiCall,
    cli: stored.cli,
    outcome: stored.outcome,
    result: stored.result,
    cost: stored.cost,
    detail: stored.detail,
    rowId: stored.id,
    unsaved: null,
  };
}

export class IncidentJournal {
  entries = $state<JournalEntry[]>([]);
  /** The account's open incident; `null` until the first action opens one. */
  incident = $state<Incident | null>(null);
  /** The account's incidents, newest first (loaded by `loadIncidents`). */
  incidents = $state<Incident[]>([]);
  /** The last write that failed; cleared when a write succeeds again. */
  error = $state<IpcError | null>(null);
  /** Why the journal could not be read (the timeline, the list of incidents). */
  loadError = $state<IpcError | null>(null);
  /** The journal file was unreadable at start and set aside. */
  problem = $state<JournalProblem | null>(null);
  /** Nothing can be recorded this run (the file could not be opened). */
  unavailable = $state<IpcError | null>(null);
  #next = 1;
  /** The journal's row id of each entry, once recorded (or `null` when recording failed). */
  #rows = new Map<number, Promise<number | null>>();
  /** Writes go one after another, so an update never overtakes its record. */
  #queue: Promise<unknown> = Promise.resolve();
  #started: Promise<void> | null = null;
  #reading: Promise<void> = Promise.resolve();

  constructor(readonly account: string) {}

  /** Shows the action now and writes it to the journal; returns its handle for `update`. */
  add(entry: NewEntry): number {
    const id = this.#next++;
    this.entries = [
      ...this.entries,
      { apiCall: "", cost: null, detail: null, ...entry, id, rowId: null, unsaved: null },
    ];
    this.#rows.set(
      id,
      this.#write(() => this.#record(id)),
    );
    return id;
  }

  /**
   * Sets what an action cost (the actual figure once AWS reports it), on screen now and in
   * the journal behind it.
   */
  setCost(id: number, cost: EntryCost): void {
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, cost } : e));
    const row = this.#rows.get(id);
    if (!row) return;
    this.#write(async () => {
      const rowId = await row;
      if (rowId === null) return;
      try {
        await journalCommands.setCost(rowId, cost);
        this.#saved(id);
        void this.loadIncidents();
      } catch (thrown) {
        this.#failed(id, thrown);
      }
    });
  }

  /** Changes how an action ended, on screen now and in the journal behind it. */
  update(id: number, patch: Partial<Pick<JournalEntry, "outcome" | "result">>): void {
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
    const row = this.#rows.get(id);
    if (!row) return;
    this.#write(async () => {
      const rowId = await row;
      // Never recorded: a retry records it as it now stands.
      if (rowId === null) return;
      const entry = this.entries.find((e) => e.id === id);
      if (!entry) return;
      try {
        await journalCommands.update(rowId, entry.outcome, entry.result);
        this.#saved(id);
      } catch (thrown) {
        this.#failed(id, thrown);
      }
    });
  }

  /** Writes again every entry the journal lacks, oldest first. */
  retry(): void {
    for (const entry of this.entries.filter((e) => e.unsaved !== null)) {
      const row = this.#rows.get(entry.id) ?? Promise.resolve(null);
      // Records what was never recorded; then writes the outcome as it now stands.
      this.#rows.set(
        entry.id,
        this.#write(async () => (await row) ?? this.#record(entry.id)),
      );
      this.update(entry.id, {});
    }
  }

  /** Resolves when every write asked for so far has finished (or failed). */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /**
   * Reads the account's open incident and its timeline, once per window, and again whenever
   * the journal changes: another window's action, a session the app recorded.
   */
  start(): Promise<void> {
    if (!this.#started) {
      this.#started = this.#load();
      journalCommands
        .onChanged(() => void this.refresh())
        .catch(() => {
          // Without events this window still sees its own actions; a reload shows the rest.
        });
    }
    return this.#started;
  }

  /**
   * Reads the open incident and its timeline again, keeping this window's handles and what it
   * could not save: an incident opened or closed elsewhere is followed, entries recorded
   * elsewhere appear, and outcomes changed elsewhere are shown.
   */
  refresh(): Promise<void> {
    // One read at a time, so that two never add the same stored entry.
    const read = this.#reading.then(() => this.#read());
    this.#reading = read;
    return read;
  }

  async #read(): Promise<void> {
    // Writes of this window first, so that each of its entries knows its row.
    await this.#queue;
    try {
      this.incidents = await journalCommands.incidents(this.account, LISTED);
      const open = this.incidents.find((i) => i.closedAt === null) ?? null;
      if (open?.id !== this.incident?.id) this.#keepUnsaved();
      this.incident = open;
      if (!open) return;
      const stored = await journalCommands.timeline(open.id);
      const byRow = new Map(this.entries.flatMap((e) => (e.rowId === null ? [] : [[e.rowId, e]])));
      const merged = stored.map((s) => {
        const known = byRow.get(s.id);
        return known
          ? { ...known, outcome: s.outcome, result: s.result, cost: s.cost }
          : this.#shown(s);
      });
      this.entries = [...merged, ...this.entries.filter((e) => e.rowId === null)];
      this.loadError = null;
    } catch (thrown) {
      this.loadError = toIpcError(thrown);
    }
  }

  /** Lists the account's incidents, newest first. */
  async loadIncidents(): Promise<void> {
    try {
      this.incidents = await journalCommands.incidents(this.account, LISTED);
      // The open incident as now stored (its count and cost change as actions are recorded).
      const open = this.incident;
      if (open) this.incident = this.incidents.find((i) => i.id === open.id) ?? open;
      this.loadError = null;
    } catch (thrown) {
      this.loadError = toIpcError(thrown);
    }
  }

  /** An incident's timeline as stored (for earlier incidents). */
  async timelineOf(incidentId: number): Promise<JournalEntry[]> {
    return (await journalCommands.timeline(incidentId)).map((e) => this.#shown(e));
  }

  /** Closes the open incident and opens `title`; later actions go on the new one. */
  async openIncident(title: string, at: string): Promise<void> {
    await this.#queue;
    this.incident = await journalCommands.openIncident(this.account, title, at);
    this.#keepUnsaved();
    void this.loadIncidents();
  }

  /** Closes the open incident; the next action opens a new one. */
  async closeIncident(at: string): Promise<void> {
    const incident = this.incident;
    if (!incident) return;
    await this.#queue;
    await journalCommands.closeIncident(incident.id, at);
    this.incident = null;
    this.#keepUnsaved();
    void this.loadIncidents();
  }

  async #load(): Promise<void> {
    try {
      const status = await journalCommands.status();
      this.problem = status.problem;
      this.unavailable = status.unavailable ? toIpcError(status.unavailable) : null;
      if (status.unavailable) return;
    } catch (thrown) {
      this.loadError = toIpcError(thrown);
      return;
    }
    await this.refresh();
  }

  /** A stored entry as this window shows it, with a handle that `update` takes. */
  #shown(stored: StoredJournalEntry): JournalEntry {
    const id = this.#next++;
    this.#rows.set(id, Promise.resolve(stored.id));
    return shownAs(stored, id);
  }

  async #record(id: number): Promise<number | null> {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return null;
    try {
      const recorded = await journalCommands.record({
        account: this.account,
        region: entry.region,
        kind: entry.kind,
        title: entry.title,
        apiCall: entry.apiCall,
        cli: entry.cli,
        outcome: entry.outcome,
        result: entry.result,
        at: entry.at,
        cost: entry.cost,
        detail: entry.detail ?? undefined,
      });
      if (this.incident && this.incident.id !== recorded.incident.id) {
        // Another window closed the incident: this action opened the next one.
        this.entries = this.entries.filter((e) => e.id === id || e.unsaved !== null);
      }
      this.incident = recorded.incident;
      this.entries = this.entries.map((e) => (e.id === id ? { ...e, rowId: recorded.entryId } : e));
      this.#saved(id);
      return recorded.entryId;
    } catch (thrown) {
      this.#failed(id, thrown);
      return null;
    }
  }

  #write<T>(work: () => Promise<T>): Promise<T> {
    const done = this.#queue.then(work);
    this.#queue = done.catch(() => undefined);
    return done;
  }

  #saved(id: number): void {
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, unsaved: null } : e));
    if (this.entries.every((e) => e.unsaved === null)) this.error = null;
  }

  #failed(id: number, thrown: unknown): void {
    const error = toIpcError(thrown);
    this.error = error;
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, unsaved: error.message } : e));
  }

  /**
   * A new incident starts with an empty timeline, but what was never saved, or is still on
   * its way to the journal, stays shown (and is written).
   */
  #keepUnsaved(): void {
    this.entries = this.entries.filter((e) => e.rowId === null);
  }
}

const shared = new Map<string, IncidentJournal>();

/**
 * The account's journal in this window, one per account, shared by every screen that records
 * on it: the Incident screen's tools, and changes made elsewhere (a readiness fix in the Fleet)
 * that belong on the open incident too.
 */
export function journalFor(account: string): IncidentJournal {
  let journal = shared.get(account);
  if (!journal) {
    journal = new IncidentJournal(account);
    shared.set(account, journal);
  }
  return journal;
}
