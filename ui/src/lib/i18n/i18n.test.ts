import { describe, expect, it } from "vitest";
import en from "./en.json";
import { resolveLanguage } from "./index";
import ja from "./ja.json";

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
  expect(keys(ja).sort()).toEqual(keys(en).sort());
});
