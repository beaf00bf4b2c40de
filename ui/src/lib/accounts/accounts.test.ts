import { get } from "svelte/store";
import { _, locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACCOUNTS } from "../../test/fixtures";
import type { AccountList, ProfileSummary } from "../ipc";
import type { WindowContext } from "../ipc/bindings/WindowContext";
import { clearMocks, mockIPC } from "../ipc/testing";
import { AccountsStore, accountIds, regionsOf } from "./accounts.svelte";
import { accountName, regionLabel, regionShortCode } from "./names";

const KNOWN = ["us-east-1", "eu-central-1", "ap-northeast-1"];
// The fixture's one profile is "prod" in us-east-1; "sandbox" has no region of its own.
const PROD = ACCOUNTS.aws.profiles[0] as ProfileSummary;
const LIST: AccountList = {
  ...ACCOUNTS,
  aws: { ...ACCOUNTS.aws, profiles: [PROD, { ...PROD, name: "sandbox", region: null }] },
};

function context(account: string, region: string | null): WindowContext {
  return { label: "main", choice: { account, region }, looks: {}, knownRegions: KNOWN };
}

/** A store over LIST whose backend records each call. */
function withBackend(fail = false) {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (fail) throw { code: "Storage", message: "settings.toml: disk full" };
    if (cmd === "save_account_look") return (args as { look: unknown }).look;
    return null;
  });
  const accounts = new AccountsStore();
  accounts.list = LIST;
  return { accounts, calls };
}

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

describe("AccountsStore", () => {
  it("opens on the window's remembered account and region", () => {
    const { accounts } = withBackend();
    accounts.restore(context("profile:prod", "eu-central-1"));
    expect(accounts.current).toBe("profile:prod");
    expect(accounts.region).toBe("eu-central-1");
    expect(accounts.isPractice).toBe(false);
    expect(accounts.scopeRegions).toEqual(["eu-central-1"]);
  });

  it("falls back to the practice account when the profile is gone, and to all regions", () => {
    const { accounts } = withBackend();
    accounts.restore(context("profile:deleted", "us-east-1"));
    expect(accounts.current).toBe("practice");
    expect(accounts.region).toBe("us-east-1");
    accounts.restore(context("practice", "eu-central-1"));
    expect(accounts.region).toBeNull();
    expect(accounts.scopeRegions).toEqual(["ap-northeast-1", "us-east-1"]);
  });

  it("offers the practice account's regions, and a profile's own region before the known ones", () => {
    expect(regionsOf(LIST, KNOWN, "practice")).toEqual(["ap-northeast-1", "us-east-1"]);
    expect(regionsOf(LIST, KNOWN, "profile:prod")).toEqual(KNOWN);
    expect(regionsOf(LIST, ["eu-central-1", "us-east-1"], "profile:prod")).toEqual([
      "us-east-1",
      "eu-central-1",
    ]);
    expect(regionsOf(LIST, KNOWN, "profile:sandbox")).toEqual(KNOWN);
  });

  it("remembers each switch for this window", async () => {
    const { accounts, calls } = withBackend();
    accounts.restore(context("practice", null));
    await accounts.choose("practice", "us-east-1");
    await accounts.choose("profile:prod");
    expect(calls).toEqual([
      ["choose_context", { account: "practice", region: "us-east-1" }],
      ["choose_context", { account: "profile:prod", region: "us-east-1" }],
    ]);
    expect(accounts.saveError).toBeNull();
  });

  it("keeps the region when the new account has it, else takes the profile's own, else all", async () => {
    const { accounts } = withBackend();
    accounts.restore(context("practice", "ap-northeast-1"));
    await accounts.choose("profile:prod");
    expect(accounts.region).toBe("ap-northeast-1");
    await accounts.choose("profile:prod", "eu-central-1");
    await accounts.choose("practice");
    expect(accounts.region).toBeNull();
    await accounts.choose("profile:prod");
    expect(accounts.region).toBe("us-east-1");
    accounts.knownRegions = ["eu-central-1"];
    await accounts.choose("profile:prod", null);
    await accounts.choose("profile:sandbox");
    expect(accounts.region).toBeNull();
  });

  it("switches even when the choice cannot be saved, and says so", async () => {
    const { accounts } = withBackend(true);
    accounts.restore(context("practice", null));
    await accounts.choose("profile:prod");
    expect(accounts.current).toBe("profile:prod");
    expect(accounts.saveError?.message).toContain("disk full");
  });

  it("saves an account's look and shows it, or returns why not", async () => {
    const { accounts, calls } = withBackend();
    accounts.restore(context("profile:prod", null));
    const look = { alias: "Prod – payments", colour: "red" } as const;
    expect(await accounts.saveLook("profile:prod", look)).toBeNull();
    expect(calls).toEqual([["save_account_look", { account: "profile:prod", look }]]);
    expect(accounts.look).toEqual(look);
    expect(accounts.lookOf("practice")).toEqual({ alias: "", colour: "none" });

    const failing = withBackend(true).accounts;
    expect((await failing.saveLook("practice", look))?.code).toBe("Storage");
    expect(failing.lookOf("practice").alias).toBe("");
  });
});

describe("the default credential chain as an account", () => {
  const WITH_DEFAULT: AccountList = { ...LIST, defaultCredentials: "environment" };

  it("is offered, after the profiles, only when the backend found credentials for it", () => {
    expect(accountIds(LIST)).toEqual(["practice", "profile:prod", "profile:sandbox"]);
    expect(accountIds(WITH_DEFAULT)).toEqual([
      "practice",
      "profile:prod",
      "profile:sandbox",
      "default",
    ]);
  });

  it("offers the known regions, is a real account, and is restored only while offered", () => {
    const { accounts } = withBackend();
    accounts.list = WITH_DEFAULT;
    expect(regionsOf(WITH_DEFAULT, KNOWN, "default")).toEqual(KNOWN);
    accounts.restore(context("default", "eu-central-1"));
    expect(accounts.current).toBe("default");
    expect(accounts.region).toBe("eu-central-1");
    expect(accounts.isPractice).toBe(false);
    expect(accounts.capabilities).toBeNull();

    accounts.list = LIST;
    accounts.restore(context("default", null));
    expect(accounts.current).toBe("practice");
  });

  it("is chosen for the window like any other account", async () => {
    const { accounts, calls } = withBackend();
    accounts.list = WITH_DEFAULT;
    accounts.restore(context("practice", "ap-northeast-1"));
    await accounts.choose("default");
    expect(accounts.current).toBe("default");
    expect(accounts.region).toBe("ap-northeast-1");
    expect(calls).toEqual([["choose_context", { account: "default", region: "ap-northeast-1" }]]);
  });

  it("is named by where the credentials come from, in English and Japanese", () => {
    const plain = { alias: "", colour: "none" } as const;
    const name = (list: AccountList) => accountName("default", list, plain, get(_));
    expect(name(WITH_DEFAULT)).toBe("Default credentials (environment variables)");
    expect(name({ ...LIST, defaultCredentials: "webIdentity" })).toBe(
      "Default credentials (web identity)",
    );
    expect(name({ ...LIST, defaultCredentials: "container" })).toBe(
      "Default credentials (container)",
    );
    locale.set("ja");
    expect(name(WITH_DEFAULT)).toBe("既定の認証情報（環境変数）");
    expect(name({ ...LIST, defaultCredentials: "container" })).toBe("既定の認証情報（コンテナ）");
  });
});

describe("account and region names", () => {
  it("names an account by its alias, else the practice account or the profile", () => {
    const t = get(_);
    const plain = { alias: "", colour: "none" } as const;
    expect(accountName("practice", LIST, plain, t)).toBe("Practice account (simulated)");
    expect(accountName("profile:prod", LIST, plain, t)).toBe("prod");
    expect(accountName("profile:prod", LIST, { alias: "Prod", colour: "red" }, t)).toBe("Prod");
  });

  it("writes a region's name and code, or the code alone when it has no name", () => {
    const t = get(_);
    expect(regionLabel("eu-central-1", t)).toBe("Europe (Frankfurt) · eu-central-1");
    expect(regionLabel("me-south-1", t)).toBe("me-south-1");
  });

  it("shortens region codes the way operators do", () => {
    expect(regionShortCode("ap-northeast-1")).toBe("apne1");
    expect(regionShortCode("us-east-1")).toBe("use1");
    expect(regionShortCode("eu-central-1")).toBe("euc1");
    expect(regionShortCode("ap-southeast-2")).toBe("apse2");
    expect(regionShortCode("sa-east-1")).toBe("sae1");
  });
});
