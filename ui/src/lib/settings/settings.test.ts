import { get } from "svelte/store";
import { locale } from "svelte-i18n";
import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "../ipc/testing";
import { SettingsStore } from "./settings.svelte";

afterEach(() => clearMocks());

const DEFAULTS = {
  language: "system",
  theme: "system",
  lastAccount: null,
  lastRegion: null,
} as const;

describe("SettingsStore", () => {
  it("follows the OS language until the user picks one, and saves the choice", async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "save_settings") saved.push((args as { settings: unknown }).settings);
      return null;
    });
    const store = new SettingsStore();
    store.init({ ...DEFAULTS }, "ja-JP");
    expect(get(locale)).toBe("ja");
    expect(document.documentElement.lang).toBe("ja");

    await store.update({ language: "en", theme: "dark" });
    expect(get(locale)).toBe("en");
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(saved).toEqual([{ ...DEFAULTS, language: "en", theme: "dark" }]);
    expect(store.saveError).toBeNull();

    await store.update({ theme: "system" });
    // jsdom's OS has no dark preference.
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("keeps the change on screen and reports a failed save", async () => {
    mockIPC(() => {
      throw { code: "Storage", message: "settings.toml: permission denied" };
    });
    const store = new SettingsStore();
    store.init({ ...DEFAULTS }, "en-US");
    await store.update({ language: "ja" });
    expect(store.value.language).toBe("ja");
    expect(store.saveError?.code).toBe("Storage");
    expect(store.saveError?.message).toContain("permission denied");
  });
});
