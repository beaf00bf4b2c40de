/**
 * Analysis of one incident (the open one or an earlier one): its state, the story curated from
 * its activity log, the review and its action items, and the automation snippet, read from
 * the journal and read again whenever any window changes it.
 */
import {
  type ActionItem,
  type ActionItemEdit,
  type AutomationSnippet,
  type Incident,
  type IncidentDetails,
  type IpcError,
  journalCommands,
  type ReportLanguage,
  type Review,
  type SavedReview,
  type StoredJournalEntry,
  type StoryEdit,
  type StoryEntry,
  toIpcError,
} from "../ipc";
import { type JournalEntry, shownAs } from "./journal.svelte";

/** A timeline entry with the activity it curates, its shown title and time. */
export interface Told {
  story: StoryEntry;
  entry: StoredJournalEntry;
  title: string;
  at: string;
  /** The entry's own time, when the responder re-timed it. */
  retimedFrom: string | null;
}

/** The timeline in the order things happened (re-timed entries where they belong). */
export function told(story: StoryEntry[], entries: StoredJournalEntry[]): Told[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  return story
    .flatMap((s) => {
      const entry = byId.get(s.entryId);
      if (!entry) return [];
      return [
        {
          story: s,
          entry,
          title: s.title ?? entry.title,
          at: s.happenedAt ?? entry.at,
          retimedFrom: s.happenedAt ? entry.at : null,
        },
      ];
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.entry.id - b.entry.id);
}

/** The details an incident has now, as the state editor starts from them. */
export function detailsOf(incident: Incident): IncidentDetails {
  return {
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    summary: incident.summary,
    affected: [...incident.affected],
  };
}

export class AnalysisStore {
  incident = $state<Incident | null>(null);
  entries = $state<StoredJournalEntry[]>([]);
  story = $state<StoryEntry[]>([]);
  review = $state<SavedReview | null>(null);
  actionItems = $state<ActionItem[]>([]);
  snippet = $state<AutomationSnippet | null>(null);
  error = $state<IpcError | null>(null);
  readonly told = $derived(told(this.story, this.entries));
  /** The activity log as the log view shows it (each entry's row is its handle). */
  readonly shownEntries = $derived<JournalEntry[]>(this.entries.map((e) => shownAs(e, e.id)));
  /** Entry ids on the timeline. */
  readonly promoted = $derived(new Set(this.story.map((s) => s.entryId)));
  #reading: Promise<void> = Promise.resolve();

  constructor(readonly incidentId: number) {}

  /** Reads everything on the incident; reads queue, so the last one wins. */
  load(): Promise<void> {
    const read = this.#reading.then(() => this.#read());
    this.#reading = read;
    return read;
  }

  async #read(): Promise<void> {
    try {
      const id = this.incidentId;
      const [incident, entries, story, review, items, snippet] = await Promise.all([
        journalCommands.incident(id),
        journalCommands.timeline(id),
        journalCommands.story(id),
        journalCommands.review(id),
        journalCommands.actionItems(id),
        journalCommands.automationSnippet(id),
      ]);
      this.incident = incident;
      this.entries = entries;
      this.story = story;
      this.review = review;
      this.actionItems = items;
      this.snippet = snippet;
      this.error = null;
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }

  /** Runs a change, then reads the incident again; a refusal is kept in `error`. */
  async #change(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      this.error = null;
      await this.load();
      return true;
    } catch (thrown) {
      this.error = toIpcError(thrown);
      return false;
    }
  }

  saveDetails = (details: IncidentDetails, at: string) =>
    this.#change(() => journalCommands.updateDetails(this.incidentId, details, at));
  promote = (entryId: number) => this.#change(() => journalCommands.promote(entryId));
  demote = (entryId: number) => this.#change(() => journalCommands.demote(entryId));
  editStory = (entryId: number, edit: StoryEdit) =>
    this.#change(() => journalCommands.editStory(entryId, edit));
  saveReview = (language: ReportLanguage, review: Review) =>
    this.#change(() => journalCommands.saveReview(this.incidentId, language, review));
  addItem = (item: ActionItemEdit) =>
    this.#change(() => journalCommands.addActionItem(this.incidentId, item));
  updateItem = (id: number, item: ActionItemEdit) =>
    this.#change(() => journalCommands.updateActionItem(id, item));
  deleteItem = (id: number) => this.#change(() => journalCommands.deleteActionItem(id));

  /** A review to start from, filled from the journal (nothing is saved). */
  draft(language: ReportLanguage): Promise<Review> {
    return journalCommands.reviewDraft(this.incidentId, language);
  }
}
