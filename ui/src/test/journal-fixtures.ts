/**
 * The incident journal's commands over memory, as the SQLite journal answers them: an action
 * goes on the account's open incident (one is opened when there is none), incidents list
 * newest first, and the report is Markdown. Hand the same `FakeJournal` to a second backend
 * to play a restart.
 */
import type {
  ActionItem,
  ActionItemEdit,
  AppError,
  EntryCost,
  Incident,
  IncidentDetails,
  IncidentFilter,
  JournalOutcome,
  JournalProblem,
  JournalStatus,
  Review,
  SavedReview,
  StoredJournalEntry,
  StoryEdit,
  StoryEntry,
} from "../lib/ipc";
import type { NewJournalEntry } from "../lib/ipc/bindings/NewJournalEntry";

/** The commands after which the app tells every window that the journal changed. */
export const JOURNAL_WRITES = new Set([
  "journal_record",
  "journal_update",
  "journal_set_cost",
  "journal_open_incident",
  "journal_close_incident",
  "journal_update_details",
  "journal_delete_incident",
  "journal_reopen_incident",
  "journal_promote",
  "journal_demote",
  "journal_edit_story",
  "journal_save_review",
  "journal_add_action_item",
  "journal_update_action_item",
  "journal_delete_action_item",
  "journal_import",
]);

/** What `handle` returns for a command that is not the journal's. */
export const NOT_JOURNAL = Symbol("not a journal command");

export class FakeJournal {
  incidents: Omit<Incident, "entryCount" | "cost" | "costAtMost">[] = [];
  entries: StoredJournalEntry[] = [];
  problem: JournalProblem | null = null;
  unavailable: AppError | null = null;
  story: StoryEntry[] = [];
  reviews = new Map<number, SavedReview>();
  items: ActionItem[] = [];
  /** Reports asked for, with their language and format. */
  reports: { incidentId: number; language: string; format: string }[] = [];

  #counted(incident: Omit<Incident, "entryCount" | "cost" | "costAtMost">): Incident {
    const entries = this.entries.filter((e) => e.incidentId === incident.id);
    const costs = entries.flatMap((e) => (e.cost ? [e.cost] : []));
    // Amounts in tests are whole millionths of a dollar, which add exactly as integers.
    const mills = costs.reduce((sum, c) => sum + Math.round(Number(c.usd) * 1_000_000), 0);
    return {
      ...incident,
      entryCount: entries.length,
      cost: String(mills / 1_000_000),
      costAtMost: costs.some((c) => c.basis === "atMost"),
    };
  }

  #incident(id: number): Incident {
    const found = this.incidents.find((i) => i.id === id);
    if (!found) throw { code: "InvalidInput", message: `no incident ${id} in the journal` };
    return this.#counted(found);
  }

  #open(
    account: string,
    title: string,
    at: string,
  ): Omit<Incident, "entryCount" | "cost" | "costAtMost"> {
    const incident = {
      id: this.incidents.length + 1,
      account,
      accountKind: account === "practice" ? ("practice" as const) : ("profile" as const),
      title,
      openedAt: at,
      closedAt: null,
      severity: null,
      status: "investigating" as const,
      summary: "",
      affected: [],
    };
    this.incidents.push(incident);
    return incident;
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "journal_status":
        return {
          path: "/data/unyo/journal.sqlite3",
          problem: this.problem,
          unavailable: this.unavailable,
        } satisfies JournalStatus;
      case "journal_record": {
        const entry = a.entry as NewJournalEntry;
        const incident =
          this.incidents.find((i) => i.account === entry.account && i.closedAt === null) ??
          this.#open(entry.account, "", entry.at);
        const id = this.entries.length + 1;
        this.entries.push({
          ...entry,
          cost: entry.cost ?? null,
          detail: entry.detail ?? null,
          id,
          incidentId: incident.id,
          accountKind: incident.accountKind,
          recordedAt: "2026-04-28T01:00:00Z",
          updatedAt: "2026-04-28T01:00:00Z",
        });
        return { entryId: id, incident: this.#counted(incident) };
      }
      case "journal_update": {
        const entry = this.entries.find((e) => e.id === a.id);
        if (!entry) throw { code: "InvalidInput", message: `no journal entry ${a.id} to update` };
        entry.outcome = a.outcome as JournalOutcome;
        entry.result = a.result as string;
        return null;
      }
      case "journal_set_cost": {
        const entry = this.entries.find((e) => e.id === a.id);
        if (!entry) throw { code: "InvalidInput", message: `no journal entry ${a.id} to update` };
        entry.cost = a.cost as EntryCost;
        return null;
      }
      case "journal_timeline":
        return this.entries.filter((e) => e.incidentId === a.incidentId);
      case "journal_incidents":
        return this.incidents
          .filter((i) => i.account === a.account)
          .reverse()
          .slice(0, a.limit as number)
          .map((i) => this.#counted(i));
      case "journal_open_incident": {
        for (const i of this.incidents)
          if (i.account === a.account && i.closedAt === null) i.closedAt = a.at as string;
        return this.#counted(this.#open(a.account as string, a.title as string, a.at as string));
      }
      case "journal_close_incident": {
        const incident = this.incidents.find((i) => i.id === a.incidentId);
        if (incident && incident.closedAt === null) incident.closedAt = a.at as string;
        return this.#incident(a.incidentId as number);
      }
      case "journal_report":
      case "journal_save_report": {
        const incident = this.#incident(a.incidentId as number);
        const format = a.format as string;
        this.reports.push({ incidentId: incident.id, language: a.language as string, format });
        if (cmd === "journal_save_report")
          return `/home/kenji/Downloads/unyo-incident-${incident.id}.${format === "html" ? "html" : "md"}`;
        const lines = this.entries
          .filter((e) => e.incidentId === incident.id)
          .map((e) => `## ${e.at} · ${e.kind} · ${e.title}\n\n\`\`\`sh\n${e.cli}\n\`\`\``);
        return [`# ${a.language} report: ${incident.title}`, ...lines].join("\n\n");
      }
      case "journal_incident":
        return this.#incident(a.incidentId as number);
      case "journal_find_incidents": {
        const f = a.filter as IncidentFilter;
        const text = f.text?.toLowerCase() ?? null;
        return this.incidents
          .filter((i) => f.account === null || i.account === f.account)
          .filter((i) => f.severity === null || i.severity === f.severity)
          .filter((i) => f.status === null || i.status === f.status)
          .filter(
            (i) =>
              text === null ||
              `${i.title} ${i.summary} ${i.affected.join(" ")}`.toLowerCase().includes(text),
          )
          .reverse()
          .map((i) => this.#counted(i));
      }
      case "journal_update_details": {
        const incident = this.incidents.find((i) => i.id === a.incidentId);
        if (!incident) throw { code: "InvalidInput", message: `no incident ${a.incidentId}` };
        const d = a.details as IncidentDetails;
        const before = { severity: incident.severity, status: incident.status };
        const changes: string[] = [];
        const label = (s: string | null) => s?.toUpperCase() ?? "none";
        if (d.severity !== incident.severity)
          changes.push(`severity ${label(incident.severity)} → ${label(d.severity)}`);
        if (d.status !== incident.status) changes.push(`status ${incident.status} → ${d.status}`);
        Object.assign(incident, d);
        if (changes.length > 0)
          this.handle("journal_record", {
            entry: {
              account: incident.account,
              region: "",
              kind: "statusChange",
              title: changes.join("; "),
              apiCall: "",
              cli: "",
              outcome: "success",
              result: "",
              at: a.at,
              detail: JSON.stringify({
                severity: [before.severity, d.severity],
                status: [before.status, d.status],
              }),
            },
          });
        return this.#incident(incident.id);
      }
      case "journal_story":
        return this.story.filter((s) =>
          this.entries.some((e) => e.id === s.entryId && e.incidentId === a.incidentId),
        );
      case "journal_promote": {
        const entryId = a.entryId as number;
        let found = this.story.find((s) => s.entryId === entryId);
        if (!found) {
          found = {
            entryId,
            title: null,
            annotation: "",
            moment: null,
            happenedAt: null,
            promotedAt: "2026-04-28T01:00:00Z",
          };
          this.story.push(found);
        }
        return found;
      }
      case "journal_demote":
        this.story = this.story.filter((s) => s.entryId !== a.entryId);
        return null;
      case "journal_edit_story": {
        const found = this.story.find((s) => s.entryId === a.entryId);
        if (!found) throw { code: "InvalidInput", message: "promote it first" };
        const edit = a.edit as StoryEdit;
        if (edit.moment)
          for (const other of this.story) if (other.moment === edit.moment) other.moment = null;
        Object.assign(found, edit);
        return found;
      }
      case "journal_review":
        return this.reviews.get(a.incidentId as number) ?? null;
      case "journal_review_draft": {
        const incident = this.#incident(a.incidentId as number);
        return {
          summary: incident.summary,
          impact: `${incident.affected.join(", ")} affected`,
          detection: "",
          rootCause: "",
          contributingFactors: "",
          wentWell: "",
          wentBadly: "",
          lessons: "",
        } satisfies Review;
      }
      case "journal_save_review": {
        const saved: SavedReview = {
          language: a.language as SavedReview["language"],
          review: a.review as Review,
          updatedAt: "2026-04-28T01:00:00Z",
        };
        this.reviews.set(a.incidentId as number, saved);
        return saved;
      }
      case "journal_action_items":
        return this.items.filter((i) => i.incidentId === a.incidentId);
      case "journal_add_action_item": {
        const item = {
          ...(a.item as ActionItemEdit),
          id: this.items.length + 1,
          incidentId: a.incidentId as number,
        };
        this.items.push(item);
        return item;
      }
      case "journal_update_action_item": {
        const item = this.items.find((i) => i.id === a.id);
        if (!item) throw { code: "InvalidInput", message: `no action item ${a.id}` };
        Object.assign(item, a.item as ActionItemEdit);
        return item;
      }
      case "journal_delete_action_item":
        this.items = this.items.filter((i) => i.id !== a.id);
        return null;
      case "journal_automation_snippet":
        return null;
      case "journal_status_update": {
        const incident = this.#incident(a.incidentId as number);
        return `${incident.title}: ${incident.status}\nNext update: ${a.nextUpdate ?? "none"}`;
      }
      case "journal_delete_incident":
        this.incidents = this.incidents.filter((i) => i.id !== a.incidentId);
        this.entries = this.entries.filter((e) => e.incidentId !== a.incidentId);
        return null;
      case "journal_reopen_incident": {
        const incident = this.incidents.find((i) => i.id === a.incidentId);
        if (!incident) throw { code: "InvalidInput", message: `no incident ${a.incidentId}` };
        for (const i of this.incidents)
          if (i.account === incident.account && i.closedAt === null) i.closedAt = a.at as string;
        incident.closedAt = null;
        return this.#incident(incident.id);
      }
      case "journal_export":
        return `/home/kenji/Downloads/unyo-incident-${a.incidentId}.json`;
      default:
        return NOT_JOURNAL;
    }
  }
}
