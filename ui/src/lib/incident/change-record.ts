/**
 * The local change record: before a change starts, what it is, why, its risk, how to roll it
 * back and who confirmed it go on the incident as their own entry. The backend signs it with
 * the identity the account acts as and refuses an incomplete one, so nothing starts without it.
 */
import { get } from "svelte/store";
import { locale } from "svelte-i18n";
import { type ChangeIntent, commands, type IpcError, toIpcError } from "../ipc";
import type { IncidentJournal } from "./journal.svelte";
import { inLanguage } from "./verification.svelte";

/** A fresh intent for `what`, for the confirmation form to fill. */
export function emptyIntent(what: string): ChangeIntent {
  return { what, why: "", risk: "medium", rollback: "" };
}

/** Whether the form holds what a record needs (the backend checks again). */
export function intentComplete(intent: ChangeIntent): boolean {
  return intent.why.trim() !== "" && intent.rollback.trim() !== "";
}

/** Records the change on the incident; resolves to why it could not be, or null. */
export async function recordChange(
  journal: IncidentJournal,
  account: string,
  region: string,
  intent: ChangeIntent,
  at: () => Promise<string>,
): Promise<IpcError | null> {
  try {
    const confirmed = await commands.confirmChange(account, intent);
    const language = get(locale);
    journal.add({
      kind: "changeRecord",
      at: await at(),
      region,
      title: inLanguage(confirmed.title, language),
      cli: "",
      outcome: "success",
      result: inLanguage(confirmed.body, language),
    });
    return null;
  } catch (thrown) {
    return toIpcError(thrown);
  }
}
