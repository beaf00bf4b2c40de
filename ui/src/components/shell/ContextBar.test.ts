import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import type { AccountList } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import ContextBar from "./ContextBar.svelte";

const KNOWN = ["us-east-1", "eu-central-1", "ap-northeast-1"];

async function loadedAccounts(list: AccountList = ACCOUNTS) {
  mockIPC((cmd) => {
    if (cmd === "list_accounts") return list;
    if (cmd === "choose_context") return null;
    throw new Error(`unexpected command ${cmd}`);
  });
  const accounts = new AccountsStore();
  await accounts.reload();
  accounts.restore({
    label: "main",
    choice: { account: "practice", region: null },
    looks: {},
    knownRegions: KNOWN,
  });
  return accounts;
}

function renderBar(accounts: AccountsStore, handlers: Partial<Record<string, unknown>> = {}) {
  return render(ContextBar, {
    accounts,
    onAccount: () => {},
    onRegion: () => {},
    onLabel: () => {},
    onPalette: () => {},
    ...handlers,
  });
}

const optionTexts = (select: HTMLElement) =>
  (within(select).getAllByRole("option") as HTMLOptionElement[]).map((o) => [
    o.textContent?.trim(),
    o.disabled,
  ]);

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

describe("ContextBar", () => {
  it("offers the practice account and every AWS profile, and reports the one chosen", async () => {
    const onAccount = vi.fn();
    renderBar(await loadedAccounts(), { onAccount });
    const select = screen.getByLabelText("Account") as HTMLSelectElement;
    expect(optionTexts(select)).toEqual([
      ["Practice account (simulated)", false],
      ["prod · us-east-1 · assume role", false],
    ]);
    expect(select.value).toBe("practice");
    await fireEvent.change(select, { target: { value: "profile:prod" } });
    expect(onAccount).toHaveBeenCalledWith("profile:prod");
  });

  it("shows a profile's alias in its colour, leads its option with the alias, and drops the practice badge", async () => {
    const accounts = await loadedAccounts();
    accounts.looks = { "profile:prod": { alias: "Prod – payments", colour: "red" } };
    await accounts.choose("profile:prod");
    renderBar(accounts);
    expect(screen.getByTestId("account-alias").textContent).toBe("Prod – payments");
    expect(screen.getByTestId("context-bar").dataset.colour).toBe("red");
    expect(optionTexts(screen.getByLabelText("Account"))[1]).toEqual([
      "Prod – payments — prod · us-east-1 · assume role",
      false,
    ]);
    expect(screen.queryByTestId("practice-badge")).toBeNull();
  });

  it("shows the practice badge and no alias for an unlabelled practice account", async () => {
    renderBar(await loadedAccounts());
    expect(screen.getByTestId("practice-badge").textContent?.trim()).toBe("Practice");
    expect(screen.queryByTestId("account-alias")).toBeNull();
    expect(screen.getByTestId("context-bar").dataset.colour).toBe("none");
  });

  it("opens the label dialog and the palette from their buttons", async () => {
    const onLabel = vi.fn();
    const onPalette = vi.fn();
    renderBar(await loadedAccounts(), { onLabel, onPalette });
    await fireEvent.click(screen.getByRole("button", { name: "Label…" }));
    await fireEvent.click(screen.getByRole("button", { name: /Switch…/ }));
    expect(onLabel).toHaveBeenCalledOnce();
    expect(onPalette).toHaveBeenCalledOnce();
  });

  it("names the file and line of each AWS config problem", async () => {
    renderBar(await loadedAccounts());
    const toggle = screen.getByRole("button", { name: /1 problem in AWS config files/ });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByTestId("config-issues").textContent).toContain(
      "/home/op/.aws/config, line 7",
    );
  });

  it("shows no warning when the AWS files are fine, and says when there are no profiles", async () => {
    const clean = { ...ACCOUNTS, aws: { ...ACCOUNTS.aws, profiles: [], issues: [] } };
    renderBar(await loadedAccounts(clean));
    expect(screen.queryByTestId("config-issues-toggle")).toBeNull();
    expect(screen.getByText("No AWS profiles found")).toBeTruthy();
  });

  it("offers the default credentials after the profiles only when the backend found some", async () => {
    const without = renderBar(await loadedAccounts());
    expect(screen.queryByRole("option", { name: /Default credentials/ })).toBeNull();
    without.unmount();

    const onAccount = vi.fn();
    const accounts = await loadedAccounts({ ...ACCOUNTS, defaultCredentials: "environment" });
    renderBar(accounts, { onAccount });
    const select = screen.getByLabelText("Account") as HTMLSelectElement;
    expect(optionTexts(select)).toEqual([
      ["Practice account (simulated)", false],
      ["prod · us-east-1 · assume role", false],
      ["Default credentials (environment variables)", false],
    ]);
    await fireEvent.change(select, { target: { value: "default" } });
    expect(onAccount).toHaveBeenCalledWith("default");
  });

  it("names the default credentials by their source in Japanese, with no practice badge", async () => {
    locale.set("ja");
    const accounts = await loadedAccounts({ ...ACCOUNTS, defaultCredentials: "webIdentity" });
    await accounts.choose("default");
    renderBar(accounts);
    const select = screen.getByLabelText("アカウント") as HTMLSelectElement;
    expect(select.value).toBe("default");
    expect(optionTexts(select).at(-1)).toEqual([
      "既定の認証情報（ウェブ ID フェデレーション）",
      false,
    ]);
    expect(screen.queryByTestId("practice-badge")).toBeNull();
  });

  it("reports the chosen region, or null for all regions", async () => {
    const onRegion = vi.fn();
    renderBar(await loadedAccounts(), { onRegion });
    const select = screen.getByLabelText("Region");
    expect(
      within(select)
        .getAllByRole("option")
        .map((o) => o.textContent?.trim()),
    ).toEqual([
      "All regions (2)",
      "Asia Pacific (Tokyo) · ap-northeast-1",
      "US East (N. Virginia) · us-east-1",
    ]);
    await fireEvent.change(select, { target: { value: "us-east-1" } });
    await fireEvent.change(select, { target: { value: "" } });
    expect(onRegion.mock.calls).toEqual([["us-east-1"], [null]]);
  });

  it("lists a profile's own region first, then the other known regions", async () => {
    const accounts = await loadedAccounts();
    await accounts.choose("profile:prod");
    renderBar(accounts);
    const select = screen.getByLabelText("Region") as HTMLSelectElement;
    expect(
      within(select)
        .getAllByRole("option")
        .map((o) => (o as HTMLOptionElement).value),
    ).toEqual(["", "us-east-1", "eu-central-1", "ap-northeast-1"]);
    expect(select.value).toBe("us-east-1");
  });

  it("says when this window's choice could not be remembered", async () => {
    const accounts = await loadedAccounts();
    accounts.saveError = { code: "Storage", message: "disk full" } as AccountsStore["saveError"];
    renderBar(accounts);
    expect(screen.getByRole("alert").textContent).toContain("disk full");
  });
});
