/**
 * What was done in this window during the incident, for Analysis: each command sent and each
 * runbook started, with its time, the AWS CLI that does the same, and how it ended. Kept in
 * memory for now (the SQLite journal will hold it across restarts).
 */
import { showTime } from "./time";

export type EntryKind = "command" | "runbook" | "verification";
export type EntryOutcome = "running" | "success" | "failed";

export interface JournalEntry {
  id: number;
  kind: EntryKind;
  /** The account's time when it was sent (RFC 3339). */
  at: string;
  region: string;
  /** What it was: `AWS-RunShellScript on i-…`, `AWSSupport-TroubleshootSSH`. */
  title: string;
  cli: string;
  outcome: EntryOutcome;
  /** The result in a line: statuses per instance, the runbook's status. */
  result: string;
}

/** The words the Markdown report uses, in the window's language. */
export interface ReportWords {
  title: string;
  account: string;
  exported: string;
  empty: string;
  kind: Record<EntryKind, string>;
  outcome: Record<EntryOutcome, string>;
}

export class IncidentJournal {
  entries = $state<JournalEntry[]>([]);
  #next = 1;

  add(entry: Omit<JournalEntry, "id">): number {
    const id = this.#next++;
    this.entries = [...this.entries, { ...entry, id }];
    return id;
  }

  update(id: number, patch: Partial<Pick<JournalEntry, "outcome" | "result">>): void {
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
  }

  /** The timeline as a Markdown report, oldest first. */
  toMarkdown(words: ReportWords, account: string, exportedAt: string): string {
    const lines = [
      `# ${words.title}`,
      "",
      `- ${words.account}: ${account}`,
      `- ${words.exported}: ${showTime(exportedAt)}`,
      "",
    ];
    if (this.entries.length === 0) lines.push(words.empty);
    for (const e of this.entries) {
      lines.push(
        `## ${showTime(e.at)} · ${words.kind[e.kind]} · ${e.title}`,
        "",
        `- ${e.region} · ${words.outcome[e.outcome]}${e.result ? `: ${e.result}` : ""}`,
        "",
        "```sh",
        e.cli,
        "```",
        "",
      );
    }
    return lines.join("\n");
  }
}
