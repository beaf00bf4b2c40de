/**
 * The incident journal's commands over memory, as the SQLite journal answers them: an action
 * goes on the account's open incident (one is opened when there is none), incidents list
 * newest first, and the report is Markdown. Hand the same `FakeJournal` to a second backend
 * to play a restart.
 */
import type {
  AppError,
  EntryCost,
  Incident,
  JournalOutcome,
  JournalProblem,
  JournalStatus,
  StoredJournalEntry,
} from "../lib/ipc";
import type { NewJournalEntry } from "../lib/ipc/bindings/NewJournalEntry";

/** What `handle` returns for a command that is not the journal's. */
export const NOT_JOURNAL = Symbol("not a journal command");

export class FakeJournal {
  incidents: Omit<Incident, "entryCount" | "cost" | "costAtMost">[] = [];
  entries: StoredJournalEntry[] = [];
  problem: JournalProblem | null = null;
  unavailable: AppError | null = null;
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
      default:
        return NOT_JOURNAL;
    }
  }
}
