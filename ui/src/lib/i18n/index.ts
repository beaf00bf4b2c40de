/**
 * English and Japanese through svelte-i18n. Every catalogue is bundled (they are small), so
 * the first screen renders translated with no loading step.
 *
 * The catalogues are `en.json` / `ja.json` for the app as a whole and `<domain>.en.json` /
 * `<domain>.ja.json` for a domain's screens (each with its own top-level keys), so work on
 * two screens never edits the same file.
 */
import { addMessages, init, locale } from "svelte-i18n";
import type { LanguagePreference } from "../ipc";

export type Language = "en" | "ja";
export const LANGUAGES: readonly Language[] = ["en", "ja"];

type Catalogue = Parameters<typeof addMessages>[1];

/** Every catalogue file, by language: `./en.json`, `./lessons.en.json` and so on. */
export const CATALOGUES: Record<Language, Catalogue[]> = { en: [], ja: [] };

const files = import.meta.glob<Catalogue>("./*.json", { eager: true, import: "default" });
for (const [path, catalogue] of Object.entries(files)) {
  const language = /(?:\/|\.)(en|ja)\.json$/.exec(path)?.[1] as Language | undefined;
  if (language) {
    CATALOGUES[language].push(catalogue);
    addMessages(language, catalogue);
  }
}

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
