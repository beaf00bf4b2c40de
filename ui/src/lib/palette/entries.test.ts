import { get } from "svelte/store";
import { _, locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACCOUNTS } from "../../test/fixtures";
import { AccountsStore } from "../accounts/accounts.svelte";
import { clearMocks, mockIPC } from "../ipc/testing";
import { paletteEntries } from "./entries";
import { rank } from "./match";

const SCREENS = ["fleet", "sessions", "settings"] as const;

function store(): AccountsStore {
  const accounts = new AccountsStore();
  accounts.list = ACCOUNTS;
  accounts.knownRegions = ["us-east-1", "eu-central-1", "ap-northeast-1"];
  accounts.looks = { "profile:prod": { alias: "Prod – payments", colour: "red" } };
  return accounts;
}

const entriesFor = (accounts: AccountsStore) => paletteEntries(accounts, SCREENS, "fleet", get(_));

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

describe("palette entries", () => {
  it("lists every account, this account's regions, the screens and the actions", () => {
    const entries = entriesFor(store());
    expect(entries.map((e) => [e.id, e.label, e.current])).toEqual([
      ["account-practice", "Practice account (simulated)", true],
      ["account-profile:prod", "Prod – payments", false],
      ["region-all", "All regions", true],
      ["region-ap-northeast-1", "Asia Pacific (Tokyo) · ap-northeast-1", false],
      ["region-us-east-1", "US East (N. Virginia) · us-east-1", false],
      ["screen-fleet", "Fleet", true],
      ["screen-sessions", "Sessions", false],
      ["screen-settings", "Settings", false],
      ["action-new-window", "New window", false],
      ["action-label-account", "Label this account…", false],
    ]);
    const prod = entries[1];
    expect(prod?.detail).toBe("prod · us-east-1 · assume role");
    expect(prod?.colour).toBe("red");
  });

  it("offers a profile's own region first, then the known ones", async () => {
    const accounts = store();
    mockIPC(() => null);
    await accounts.choose("profile:prod");
    const regions = entriesFor(accounts).filter((e) => e.group === "region");
    expect(regions.map((e) => e.id)).toEqual([
      "region-all",
      "region-us-east-1",
      "region-eu-central-1",
      "region-ap-northeast-1",
    ]);
  });

  it("finds accounts by alias or profile name, regions by name or short code", () => {
    const entries = entriesFor(store());
    expect(rank("prod", entries)[0]?.id).toBe("account-profile:prod");
    expect(rank("payments", entries)[0]?.id).toBe("account-profile:prod");
    expect(rank("tokyo", entries).map((e) => e.id)).toEqual(["region-ap-northeast-1"]);
    expect(rank("apne1", entries).map((e) => e.id)).toEqual(["region-ap-northeast-1"]);
    expect(rank("new win", entries).map((e) => e.id)).toEqual(["action-new-window"]);
  });

  it("offers the default credentials after the profiles when the backend found some", () => {
    const accounts = store();
    expect(entriesFor(accounts).some((e) => e.id === "account-default")).toBe(false);
    accounts.list = { ...ACCOUNTS, defaultCredentials: "container" };
    const entries = entriesFor(accounts);
    expect(entries.filter((e) => e.group === "account").map((e) => e.id)).toEqual([
      "account-practice",
      "account-profile:prod",
      "account-default",
    ]);
    const entry = entries.find((e) => e.id === "account-default");
    expect(entry?.label).toBe("Default credentials (container)");
    expect(entry?.action).toEqual({ kind: "account", account: "default" });
    expect(rank("default cred", entries)[0]?.id).toBe("account-default");
    locale.set("ja");
    const ja = entriesFor(accounts);
    expect(ja.find((e) => e.id === "account-default")?.label).toBe("既定の認証情報（コンテナ）");
    expect(rank("default", ja)[0]?.id).toBe("account-default");
    expect(rank("既定", ja)[0]?.id).toBe("account-default");
  });

  it("finds English names from the Japanese UI too", () => {
    locale.set("ja");
    const entries = entriesFor(store());
    const tokyo = entries.find((e) => e.id === "region-ap-northeast-1");
    expect(tokyo?.label).toBe("アジアパシフィック (東京) · ap-northeast-1");
    expect(rank("tokyo", entries).map((e) => e.id)).toEqual(["region-ap-northeast-1"]);
    expect(rank("東京", entries).map((e) => e.id)).toEqual(["region-ap-northeast-1"]);
    expect(rank("settings", entries).map((e) => e.id)).toEqual(["screen-settings"]);
  });
});
