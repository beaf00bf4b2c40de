/**
 * English and Japanese through svelte-i18n. Both catalogues are bundled (they are small), so
 * the first screen renders translated with no loading step.
 */
import { addMessages, init, locale } from "svelte-i18n";
import type { LanguagePreference } from "../ipc";
import en from "./en.json";
import ja from "./ja.json";

export type Language = "en" | "ja";
export const LANGUAGES: readonly Language[] = ["en", "ja"];

addMessages("en", en);
addMessages("ja", ja);

/** The language to show: the user's choice, else the OS language when we have it, else English. */
export function resolveLanguage(
  preference: LanguagePreference,
  osLocale: string | null | undefined,
): Language {
  if (preference === "en" || preference === "ja") return preference;
  const tag = (osLocale ?? "").toLowerCase();
  return tag.startsWith("ja") ? "ja" : "en";
}

export function startI18n(language: Language): void {
  init({ fallbackLocale: "en", initialLocale: language });
  document.documentElement.lang = language;
}

export function setLanguage(language: Language): void {
  locale.set(language);
  document.documentElement.lang = language;
}
