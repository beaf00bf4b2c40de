import { fireEvent, render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccountsStore } from "../../lib/accounts/accounts.svelte";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { ACCOUNTS } from "../../test/fixtures";
import LookDialog from "./LookDialog.svelte";

function accountsWith(respond: (cmd: string, args: unknown) => unknown) {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return respond(cmd, args);
  });
  const accounts = new AccountsStore();
  accounts.list = ACCOUNTS;
  accounts.looks = { "profile:prod": { alias: "Prod", colour: "orange" } };
  return { accounts, calls };
}

beforeEach(() => locale.set("en"));
afterEach(() => clearMocks());

describe("LookDialog", () => {
  it("starts from the saved look and saves the new alias and colour", async () => {
    const user = userEvent.setup();
    const { accounts, calls } = accountsWith((_cmd, args) => (args as { look: unknown }).look);
    const onClose = vi.fn();
    render(LookDialog, { accounts, account: "profile:prod", onClose });
    expect(screen.getByRole("dialog", { name: "Label this account" })).toBeTruthy();
    expect(screen.getByText("Account: prod · us-east-1 · assume role")).toBeTruthy();
    const alias = screen.getByLabelText("Alias") as HTMLInputElement;
    expect(alias.value).toBe("Prod");
    expect((screen.getByLabelText("Orange") as HTMLInputElement).checked).toBe(true);
    expect(document.activeElement).toBe(alias);

    await user.clear(alias);
    await user.type(alias, "Prod – payments");
    await user.click(screen.getByLabelText("Red"));
    expect(screen.getByText(/use it for production/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Save" }));
    const look = { alias: "Prod – payments", colour: "red" };
    expect(calls).toEqual([["save_account_look", { account: "profile:prod", look }]]);
    expect(accounts.lookOf("profile:prod")).toEqual(look);
    expect(onClose).toHaveBeenCalledOnce();
  });

  it("stays open and says why when the look is refused", async () => {
    const { accounts } = accountsWith(() => {
      throw { code: "InvalidInput", message: "an alias cannot contain control characters" };
    });
    const onClose = vi.fn();
    render(LookDialog, { accounts, account: "practice", onClose });
    expect(screen.getByText("Account: Practice account (simulated)")).toBeTruthy();
    await fireEvent.submit(
      screen.getByRole("button", { name: "Save" }).closest("form") as HTMLFormElement,
    );
    expect((await screen.findByRole("alert")).textContent).toContain("control characters");
    expect(onClose).not.toHaveBeenCalled();
  });

  it("closes on Cancel and on Esc without saving", async () => {
    const user = userEvent.setup();
    const { accounts, calls } = accountsWith(() => null);
    const onClose = vi.fn();
    render(LookDialog, { accounts, account: "practice", onClose });
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([]);
  });
});
