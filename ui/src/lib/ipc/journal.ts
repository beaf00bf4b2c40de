/**
 * The incident journal's commands: each action written to SQLite as it happens, the incidents
 * that group them, and the report.
 */
import type { EntryCost } from "./bindings/EntryCost";
import type { Incident } from "./bindings/Incident";
import type { JournalEntry } from "./bindings/JournalEntry";
import type { JournalOutcome } from "./bindings/JournalOutcome";
import type { JournalStatus } from "./bindings/JournalStatus";
import type { NewJournalEntry } from "./bindings/NewJournalEntry";
import type { Recorded } from "./bindings/Recorded";
import type { ReportLanguage } from "./bindings/ReportLanguage";
import { call } from "./call";

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
export const report = (incidentId: number, language: ReportLanguage, exportedAt: string) =>
  call<string>("journal_report", { incidentId, language, exportedAt });
/** Resolves to the path of the saved file. */
export const saveReport = (incidentId: number, language: ReportLanguage, exportedAt: string) =>
  call<string>("journal_save_report", { incidentId, language, exportedAt });
