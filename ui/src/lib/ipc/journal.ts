/**
 * The incident journal's commands: each action written to SQLite as it happens, the incidents
 * that group them, their state, story, review and action items, status updates, and the
 * reports and files that leave the app.
 */

import { listen } from "@tauri-apps/api/event";
import type { ActionItem } from "./bindings/ActionItem";
import type { ActionItemEdit } from "./bindings/ActionItemEdit";
import type { AutomationSnippet } from "./bindings/AutomationSnippet";
import type { EntryCost } from "./bindings/EntryCost";
import type { Incident } from "./bindings/Incident";
import type { IncidentDetails } from "./bindings/IncidentDetails";
import type { IncidentFilter } from "./bindings/IncidentFilter";
import type { IncidentReportFormat } from "./bindings/IncidentReportFormat";
import type { JournalEntry } from "./bindings/JournalEntry";
import type { JournalOutcome } from "./bindings/JournalOutcome";
import type { JournalStatus } from "./bindings/JournalStatus";
import type { NewJournalEntry } from "./bindings/NewJournalEntry";
import type { Recorded } from "./bindings/Recorded";
import type { ReportLanguage } from "./bindings/ReportLanguage";
import type { Review } from "./bindings/Review";
import type { SavedReview } from "./bindings/SavedReview";
import type { StoryEdit } from "./bindings/StoryEdit";
import type { StoryEntry } from "./bindings/StoryEntry";
import { call } from "./call";

/** The event every window hears after the journal changed. */
export const CHANGED = "journal-changed";

/**
 * Calls `handler` whenever any window (or the app itself) changed the journal; resolves to the
 * function that stops listening.
 */
export async function onChanged(handler: (incidentId: number | null) => void): Promise<() => void> {
  const unlisten = await listen<{ incidentId: number | null }>(CHANGED, (event) =>
    handler(event.payload?.incidentId ?? null),
  );
  return () => {
    // A listener left behind only reads the journal again; it never changes anything.
    void Promise.resolve()
      .then(unlisten)
      .catch(() => {});
  };
}

export const status = () => call<JournalStatus>("journal_status");
/** Resolves once the action is on disk, with the incident it went on. */
export const record = (entry: NewJournalEntry) => call<Recorded>("journal_record", { entry });
export const update = (id: number, outcome: JournalOutcome, result: string) =>
  call<null>("journal_update", { id, outcome, result });
/** Sets what an action cost (the actual figure once AWS reports it). */
export const setCost = (id: number, cost: EntryCost) =>
  call<null>("journal_set_cost", { id, cost });
export const timeline = (incidentId: number) =>
  call<JournalEntry[]>("journal_timeline", { incidentId });
/** The account's incidents, newest first. */
export const incidents = (account: string, limit: number) =>
  call<Incident[]>("journal_incidents", { account, limit });
export const openIncident = (account: string, title: string, at: string) =>
  call<Incident>("journal_open_incident", { account, title, at });
export const closeIncident = (incidentId: number, at: string) =>
  call<Incident>("journal_close_incident", { incidentId, at });
export const report = (
  incidentId: number,
  language: ReportLanguage,
  format: IncidentReportFormat,
  exportedAt: string,
) => call<string>("journal_report", { incidentId, language, format, exportedAt });
/** Resolves to the path of the saved file. */
export const saveReport = (
  incidentId: number,
  language: ReportLanguage,
  format: IncidentReportFormat,
  exportedAt: string,
) => call<string>("journal_save_report", { incidentId, language, format, exportedAt });
export const incident = (incidentId: number) => call<Incident>("journal_incident", { incidentId });
export const updateDetails = (incidentId: number, details: IncidentDetails, at: string) =>
  call<Incident>("journal_update_details", { incidentId, details, at });
/** Incidents of every account that match, newest first. */
export const findIncidents = (filter: IncidentFilter) =>
  call<Incident[]>("journal_find_incidents", { filter });
export const deleteIncident = (incidentId: number) =>
  call<null>("journal_delete_incident", { incidentId });
export const reopenIncident = (incidentId: number, at: string) =>
  call<Incident>("journal_reopen_incident", { incidentId, at });
export const story = (incidentId: number) => call<StoryEntry[]>("journal_story", { incidentId });
export const promote = (entryId: number) => call<StoryEntry>("journal_promote", { entryId });
export const demote = (entryId: number) => call<null>("journal_demote", { entryId });
export const editStory = (entryId: number, edit: StoryEdit) =>
  call<StoryEntry>("journal_edit_story", { entryId, edit });
export const review = (incidentId: number) =>
  call<SavedReview | null>("journal_review", { incidentId });
export const reviewDraft = (incidentId: number, language: ReportLanguage) =>
  call<Review>("journal_review_draft", { incidentId, language });
export const saveReview = (incidentId: number, language: ReportLanguage, review: Review) =>
  call<SavedReview>("journal_save_review", { incidentId, language, review });
export const actionItems = (incidentId: number) =>
  call<ActionItem[]>("journal_action_items", { incidentId });
export const addActionItem = (incidentId: number, item: ActionItemEdit) =>
  call<ActionItem>("journal_add_action_item", { incidentId, item });
export const updateActionItem = (id: number, item: ActionItemEdit) =>
  call<ActionItem>("journal_update_action_item", { id, item });
export const deleteActionItem = (id: number) => call<null>("journal_delete_action_item", { id });
/** A status update as of `now`, promising the next at `nextUpdate`. */
export const statusUpdate = (
  incidentId: number,
  language: ReportLanguage,
  now: string,
  nextUpdate: string | null,
) => call<string>("journal_status_update", { incidentId, language, now, nextUpdate });
export const automationSnippet = (incidentId: number) =>
  call<AutomationSnippet | null>("journal_automation_snippet", { incidentId });
/** Resolves to the path of the saved JSON file. */
export const exportIncident = (incidentId: number) =>
  call<string>("journal_export", { incidentId });
/** Adds the incident in an exported file's text; it comes in closed. */
export const importIncident = (contents: string) => call<Incident>("journal_import", { contents });

/**
 * Listens for journal changes for as long as an effect lives: returns the effect's cleanup,
 * which also stops a listener that was still being registered when the effect ended.
 */
export function whileMounted(handler: (incidentId: number | null) => void): () => void {
  let stop: (() => void) | null = null;
  let ended = false;
  void onChanged(handler).then(
    (unlisten) => {
      if (ended) unlisten();
      else stop = unlisten;
    },
    () => {},
  );
  return () => {
    ended = true;
    stop?.();
  };
}
