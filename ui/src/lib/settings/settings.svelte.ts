/** The user's settings, applied to the page (language, theme) and saved through IPC. */
import { type Language, resolveLanguage, setLanguage } from "../i18n";
import { commands, type IpcError, type Settings, toIpcError } from "../ipc";

const prefersDark = () => window.matchMedia?.("(prefers-color-scheme: dark)");
let following: Settings["theme"] = "system";

/**
 * Sets `data-theme` on the page to `light` or `dark`; for `system`, the OS's choice, and it
 * follows the OS when that changes. The stylesheet keys its palettes on the attribute alone.
 */
export function applyTheme(theme: Settings["theme"]): void {
  following = theme;
  const resolved = theme === "system" ? (prefersDark()?.matches ? "dark" : "light") : theme;
  document.documentElement.dataset.theme = resolved;
}

prefersDark()?.addEventListener("change", () => {
  if (following === "system") applyTheme("system");
});

export class SettingsStore {
  value = $state<Settings>({
    language: "system",
    theme: "system",
    lastAccount: null,
    lastRegion: null,
  });
  saveError = $state<IpcError | null>(null);
  savedAt = $state<number | null>(null);
  osLocale: string | null = null;

  readonly language: Language = $derived(resolveLanguage(this.value.language, this.osLocale));

  init(settings: Settings, osLocale: string | null): void {
    this.osLocale = osLocale;
    this.value = settings;
    applyTheme(settings.theme);
    setLanguage(resolveLanguage(settings.language, osLocale));
  }

  /** Applies a change at once and saves it; a failed save is shown, the change is kept. */
  async update(change: Partial<Settings>): Promise<void> {
    this.value = { ...this.value, ...change };
    if (change.theme !== undefined) applyTheme(change.theme);
    if (change.language !== undefined) {
      setLanguage(resolveLanguage(change.language, this.osLocale));
    }
    try {
      await commands.saveSettings(this.value);
      this.saveError = null;
      this.savedAt = Date.now();
    } catch (thrown) {
      this.saveError = toIpcError(thrown);
    }
  }
}
