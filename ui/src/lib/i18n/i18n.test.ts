import { describe, expect, it } from "vitest";
import { CATALOGUES, resolveLanguage } from "./index";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("resolveLanguage", () => {
  it("follows the OS when the user chose nothing", () => {
    expect(resolveLanguage("system", "ja-JP")).toBe("ja");
    expect(resolveLanguage("system", "en-GB")).toBe("en");
    expect(resolveLanguage("system", null)).toBe("en");
    expect(resolveLanguage("system", "fr-FR")).toBe("en");
  });

  it("lets the user's choice win over the OS", () => {
    expect(resolveLanguage("en", "ja-JP")).toBe("en");
    expect(resolveLanguage("ja", "en-US")).toBe("ja");
  });
});

it("has every English string in Japanese and nothing extra", () => {
  const all = (language: "en" | "ja") => CATALOGUES[language].flatMap((c) => keys(c)).sort();
  expect(all("en").length).toBeGreaterThan(100);
  expect(all("ja")).toEqual(all("en"));
});

it("never defines a key in two catalogue files", () => {
  const all = CATALOGUES.en.flatMap((c) => keys(c));
  expect(all.length).toBe(new Set(all).size);
});
