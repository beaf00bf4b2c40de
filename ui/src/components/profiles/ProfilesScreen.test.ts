import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallerIdentity, ProfileListing } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { ProfilesStore } from "../../lib/profiles/profiles.svelte";
import { PROD_PROFILE } from "../../test/fixtures";
import ProfilesScreen from "./ProfilesScreen.svelte";

const LISTING: ProfileListing = {
  profiles: [
    {
      ...PROD_PROFILE,
      name: "base",
      kind: "staticKeys",
      chain: [],
      roleArn: null,
      mfaSerial: null,
    },
    PROD_PROFILE,
    { ...PROD_PROFILE, name: "orphan", chain: [], problem: "source_profile `x` is not defined" },
    {
      ...PROD_PROFILE,
      name: "mine",
      kind: "staticKeys",
      origin: "unyo",
      chain: [],
      mfaSerial: null,
    },
  ],
  ssoSessions: [],
  issues: [],
  defaultProfile: "base",
  awsConfigFile: "/home/op/.aws/config",
  awsCredentialsFile: "/home/op/.aws/credentials",
};

const PROD_IDENTITY: CallerIdentity = {
  profile: "prod",
  region: "us-east-1",
  account: "111122223333",
  arn: "arn:aws:sts::111122223333:assumed-role/Ops/unyo-1",
  userId: "AROA:unyo-1",
};

let calls: { cmd: string; args: unknown }[] = [];
let mfaDone = false;

beforeEach(() => {
  calls = [];
  mfaDone = false;
  locale.set("en");
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "list_profiles") return LISTING;
    if (cmd === "known_identities") return [];
    if (cmd === "check_identity") {
      if (mfaDone) return PROD_IDENTITY;
      throw { code: "MfaRequired", message: "profile `prod` needs a code from MFA device alice" };
    }
    if (cmd === "submit_mfa_code") {
      if ((args as { code: string }).code !== "123456") {
        throw { code: "MfaRequired", message: "AWS did not accept that code" };
      }
      mfaDone = true;
      return null;
    }
    if (cmd === "delete_profile") return null;
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => clearMocks());

const row = (name: string) =>
  screen.getAllByTestId("profile-row").find((r) => r.dataset.profile === name) as HTMLElement;

describe("ProfilesScreen", () => {
  it("shows each profile's origin, chain and problem; only Unyo's can be deleted", async () => {
    render(ProfilesScreen, { store: new ProfilesStore(), onChanged: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("profile-row")).toHaveLength(4));
    expect(within(row("prod")).getByTestId("profile-chain").textContent).toBe("base");
    expect(row("prod").textContent).toContain("MFA");
    expect(row("base").textContent).toContain("default");
    expect(row("orphan").textContent).toContain("source_profile `x` is not defined");
    expect(within(row("orphan")).getByTestId("profile-check")).toHaveProperty("disabled", true);
    expect(within(row("prod")).queryByTestId("profile-delete")).toBeNull();
    expect(within(row("mine")).getByTestId("profile-delete")).toBeTruthy();
  });

  it("asks for the MFA code once, keeps asking after a wrong one, then shows who the role is", async () => {
    render(ProfilesScreen, { store: new ProfilesStore(), onChanged: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("profile-row")).toHaveLength(4));
    await fireEvent.click(within(row("prod")).getByTestId("profile-check"));
    await waitFor(() => expect(screen.getByTestId("mfa-message").textContent).toContain("alice"));

    await fireEvent.input(screen.getByTestId("mfa-code"), { target: { value: "000000" } });
    await fireEvent.submit(screen.getByTestId("mfa-code").closest("form") as HTMLFormElement);
    await waitFor(() =>
      expect(screen.getByTestId("mfa-message").textContent).toContain("did not accept"),
    );

    await fireEvent.input(screen.getByTestId("mfa-code"), { target: { value: "123456" } });
    await fireEvent.submit(screen.getByTestId("mfa-code").closest("form") as HTMLFormElement);
    await waitFor(() => expect(screen.queryByTestId("mfa-message")).toBeNull());
    await waitFor(() =>
      expect(within(row("prod")).getByTestId("profile-identity").textContent).toContain(
        "assumed-role/Ops",
      ),
    );
    expect(calls.filter((c) => c.cmd === "submit_mfa_code")).toHaveLength(2);
  });

  it("deletes a Unyo profile only after the user confirms what will happen", async () => {
    let changed = 0;
    render(ProfilesScreen, { store: new ProfilesStore(), onChanged: () => changed++ });
    await waitFor(() => expect(screen.getAllByTestId("profile-row")).toHaveLength(4));
    await fireEvent.click(within(row("mine")).getByTestId("profile-delete"));
    expect(calls.some((c) => c.cmd === "delete_profile")).toBe(false);
    expect(screen.getByTestId("delete-dialog").textContent).toContain("keychain");
    await fireEvent.click(screen.getByTestId("delete-confirm"));
    await waitFor(() => expect(changed).toBe(1));
    expect(calls.find((c) => c.cmd === "delete_profile")?.args).toEqual({ name: "mine" });
  });
});
