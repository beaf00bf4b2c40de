/**
 * Every screen, as rendered, passes axe-core's WCAG A/AA rules: each control has an accessible
 * name, ARIA is used as specified, headings and landmarks make sense. (Colour contrast needs
 * real layout, which jsdom lacks; the screenshots cover it.)
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import axe from "axe-core";
import { get } from "svelte/store";
import { _, locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import FleetScreen from "../components/fleet/FleetScreen.svelte";
import CommandPalette from "../components/palette/CommandPalette.svelte";
import ProfilesScreen from "../components/profiles/ProfilesScreen.svelte";
import SessionsScreen from "../components/sessions/SessionsScreen.svelte";
import SettingsScreen from "../components/settings/SettingsScreen.svelte";
import ContextBar from "../components/shell/ContextBar.svelte";
import LookDialog from "../components/shell/LookDialog.svelte";
import Sidebar, { SCREENS } from "../components/shell/Sidebar.svelte";
import TunnelsScreen from "../components/tunnels/TunnelsScreen.svelte";
import { AccountsStore } from "../lib/accounts/accounts.svelte";
import { clearMocks, mockIPC } from "../lib/ipc/testing";
import { paletteEntries } from "../lib/palette/entries";
import { ProfilesStore } from "../lib/profiles/profiles.svelte";
import { SessionsStore } from "../lib/sessions/sessions.svelte";
import { SettingsStore } from "../lib/settings/settings.svelte";
import { TunnelsStore } from "../lib/tunnels/tunnels.svelte";
import { ACCOUNTS, FLEET, PROD_PROFILE } from "./fixtures";

async function violations(container: Element): Promise<string[]> {
  const result = await axe.run(container, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    rules: { "color-contrast": { enabled: false } },
  });
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

beforeEach(() => {
  mockIPC((cmd, args) => {
    if (cmd === "list_fleet") {
      const [region] = (args as { scope: { regions: string[] } }).scope.regions;
      return { ...FLEET, instances: FLEET.instances.filter((i) => i.region === region) };
    }
    if (cmd === "list_accounts") return ACCOUNTS;
    if (cmd === "list_profiles") {
      return {
        profiles: [PROD_PROFILE, { ...PROD_PROFILE, name: "mine", origin: "unyo" }],
        ssoSessions: [
          {
            name: "corp",
            startUrl: "https://corp.awsapps.com/start",
            region: "us-east-1",
            scopes: [],
          },
        ],
        issues: ACCOUNTS.aws.issues,
        defaultProfile: null,
        awsConfigFile: null,
        awsCredentialsFile: null,
      };
    }
    if (cmd === "known_identities") return [];
    if (cmd === "tunnel_clients") return ["browser"];
    if (cmd === "sso_status") return { state: "signedOut" };
    if (cmd === "check_identity") throw { code: "MfaRequired", message: "needs a code" };
    return null;
  });
});
afterEach(() => clearMocks());

describe.each(["en", "ja"])("accessibility in %s", (language) => {
  beforeEach(() => {
    locale.set(language);
  });

  it("the fleet, with an instance's details open", async () => {
    const accounts = new AccountsStore();
    await accounts.reload();
    const { container } = render(FleetScreen, {
      accounts,
      onStartSession: async () => null,
      onForwardPort: () => {},
    });
    await waitFor(() => expect(screen.getAllByRole("row").length).toBeGreaterThan(1));
    await fireEvent.click(screen.getByText("bastion-legacy"));
    expect(await violations(container)).toEqual([]);
    // An instance with patch compliance data.
    await fireEvent.click(screen.getByText("win-sql-1"));
    await screen.findByText("pb-0d4c6e8a0f2b3c005");
    expect(await violations(container)).toEqual([]);
  });

  it("the account and region bar with its config problems open, and the sidebar", async () => {
    const accounts = new AccountsStore();
    await accounts.reload();
    const { container } = render(ContextBar, {
      accounts,
      onAccount: () => {},
      onRegion: () => {},
      onLabel: () => {},
      onPalette: () => {},
    });
    await fireEvent.click(screen.getByTestId("config-issues-toggle"));
    expect(await violations(container)).toEqual([]);
    const nav = render(Sidebar, { current: "fleet", onNavigate: () => {} });
    expect(await violations(nav.container)).toEqual([]);
  });

  it("the command palette, filtered, and the account label dialog", async () => {
    const accounts = new AccountsStore();
    await accounts.reload();
    const t = get(_);
    const entries = paletteEntries(accounts, SCREENS, "fleet", t);
    const palette = render(CommandPalette, { entries, onChoose: () => {}, onClose: () => {} });
    await fireEvent.input(screen.getByRole("combobox"), { target: { value: "a" } });
    expect(await violations(palette.container)).toEqual([]);
    palette.unmount();
    const look = render(LookDialog, { accounts, account: "practice", onClose: () => {} });
    expect(await violations(look.container)).toEqual([]);
  });

  it("the profiles screen, with the MFA prompt and the add-profile form open", async () => {
    const page = render(ProfilesScreen, { store: new ProfilesStore(), onChanged: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("profile-row")).toHaveLength(2));
    await fireEvent.click(screen.getAllByTestId("profile-check")[0] as HTMLElement);
    await waitFor(() => expect(screen.getByTestId("mfa-code")).toBeTruthy());
    expect(await violations(document.body)).toEqual([]);
    await fireEvent.click(screen.getByText(get(_)("profiles.cancel")));
    await fireEvent.click(screen.getByTestId("profiles-add"));
    expect(await violations(document.body)).toEqual([]);
    page.unmount();
  });

  it("the tunnels screen, with the exposed-address warning", async () => {
    const page = render(TunnelsScreen, {
      store: new TunnelsStore(),
      account: "practice",
      regions: [],
      initialInstance: null,
    });
    await fireEvent.change(screen.getByTestId("tunnel-bind"), { target: { value: "0.0.0.0" } });
    expect(await violations(page.container)).toEqual([]);
  });

  it("settings and the empty sessions screen", async () => {
    const settings = new SettingsStore();
    const page = render(SettingsScreen, { settings, version: "0.1.0", problem: null });
    expect(await violations(page.container)).toEqual([]);
    const sessions = render(SessionsScreen, { store: new SessionsStore(), visible: true });
    expect(await violations(sessions.container)).toEqual([]);
  });
});
