import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountRole, ProfileListing, TokenStatus } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { ProfilesStore } from "../../lib/profiles/profiles.svelte";
import ProfilesScreen from "./ProfilesScreen.svelte";

const LISTING: ProfileListing = {
  profiles: [],
  ssoSessions: [
    { name: "corp", startUrl: "https://corp.awsapps.com/start", region: "us-east-1", scopes: [] },
  ],
  issues: [],
  defaultProfile: null,
  awsConfigFile: null,
  awsCredentialsFile: null,
};

const ROLES: AccountRole[] = [
  { accountId: "111122223333", accountName: "Prod", email: null, roleName: "Admin" },
  { accountId: "444455556666", accountName: "Dev", email: null, roleName: "ReadOnly" },
];

let calls: { cmd: string; args: unknown }[] = [];
let status: TokenStatus = { state: "signedOut" };
let approve: (() => void) | null = null;

beforeEach(() => {
  calls = [];
  status = { state: "signedOut" };
  locale.set("en");
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "list_profiles":
        return LISTING;
      case "known_identities":
        return [];
      case "sso_status":
        return status;
      case "sso_sign_in":
        return {
          verificationUri: "https://device.sso.us-east-1.amazonaws.com/",
          verificationUriComplete:
            "https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT",
          userCode: "WDJB-MJHT",
          expiresAt: "2026-11-28T15:00:00Z",
        };
      case "sso_wait":
        return new Promise((resolve) => {
          approve = () => {
            status = { state: "signedIn", expiresAt: "2026-11-28T22:00:00Z" };
            resolve(status);
          };
        });
      case "sso_account_roles":
        return ROLES;
      case "import_sso_roles":
        return [];
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
});

afterEach(() => clearMocks());

describe("IAM Identity Center sessions", () => {
  it("shows the code to approve, waits, then shows the session signed in", async () => {
    render(ProfilesScreen, { store: new ProfilesStore(), onChanged: () => {} });
    await waitFor(() => expect(screen.getByTestId("sso-status").textContent).toBe("Signed out"));
    await fireEvent.click(screen.getByTestId("sso-sign-in"));
    await waitFor(() => expect(screen.getByTestId("sso-user-code").textContent).toBe("WDJB-MJHT"));
    expect(screen.getByTestId("sso-verification-uri").textContent).toContain("device.sso");
    approve?.();
    await waitFor(() => expect(screen.queryByTestId("sso-user-code")).toBeNull());
    await waitFor(() =>
      expect(screen.getByTestId("sso-status").textContent).toMatch(/^Signed in until/),
    );
  });

  it("imports only the roles the user chose", async () => {
    status = { state: "signedIn", expiresAt: "2026-11-28T22:00:00Z" };
    let changed = 0;
    render(ProfilesScreen, { store: new ProfilesStore(), onChanged: () => changed++ });
    await waitFor(() => expect(screen.getByTestId("sso-import")).toBeTruthy());
    await fireEvent.click(screen.getByTestId("sso-import"));
    await waitFor(() => expect(screen.getAllByTestId("sso-role")).toHaveLength(2));
    expect(screen.getByTestId("sso-import-submit")).toHaveProperty("disabled", true);
    await fireEvent.click(screen.getAllByTestId("sso-role")[1] as HTMLElement);
    await fireEvent.click(screen.getByTestId("sso-import-submit"));
    await waitFor(() => expect(changed).toBe(1));
    expect(calls.find((c) => c.cmd === "import_sso_roles")?.args).toEqual({
      session: "corp",
      roles: [ROLES[1]],
      region: null,
    });
  });
});
