import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import ContextBar from "./ContextBar.svelte";

async function loadedAccounts(list = ACCOUNTS) {
  mockIPC((cmd) => {
    if (cmd === "list_accounts") return list;
    throw new Error(`unexpected command ${cmd}`);
  });
  const accounts = new AccountsStore();
  await accounts.reload();
  return accounts;
}

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

describe("ContextBar", () => {
  it("offers the practice account and lists AWS profiles as not yet selectable", async () => {
    render(ContextBar, { accounts: await loadedAccounts(), onRegion: () => {} });
    const select = screen.getByLabelText("Account") as HTMLSelectElement;
    const options = within(select).getAllByRole("option") as HTMLOptionElement[];
    expect(options.map((o) => [o.textContent?.trim(), o.disabled])).toEqual([
      ["Practice account (simulated)", false],
      ["prod · us-east-1 · assume role", true],
    ]);
    expect(select.value).toBe("practice");
  });

  it("names the file and line of each AWS config problem", async () => {
    render(ContextBar, { accounts: await loadedAccounts(), onRegion: () => {} });
    const toggle = screen.getByRole("button", { name: /1 problem in AWS config files/ });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByTestId("config-issues").textContent).toContain(
      "/home/op/.aws/config, line 7",
    );
  });

  it("shows no warning when the AWS files are fine, and says when there are no profiles", async () => {
    const clean = { ...ACCOUNTS, aws: { profiles: [], issues: [] } };
    render(ContextBar, { accounts: await loadedAccounts(clean), onRegion: () => {} });
    expect(screen.queryByTestId("config-issues-toggle")).toBeNull();
    expect(screen.getByText("No AWS profiles found")).toBeTruthy();
  });

  it("reports the chosen region, or null for all regions", async () => {
    const onRegion = vi.fn();
    render(ContextBar, { accounts: await loadedAccounts(), onRegion });
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
});
