/** The Profiles screen's state: every profile, identities checked, and a pending MFA prompt. */
import {
  type CallerIdentity,
  commands,
  type IpcError,
  type NewProfile,
  type ProfileListing,
  toIpcError,
} from "../ipc";
import { SsoStore } from "./sso.svelte";

/** A role waiting for a code from the user's MFA device; `message` says why (first ask, or a refused code). */
export interface MfaPrompt {
  profile: string;
  message: string;
}

export class ProfilesStore {
  listing = $state<ProfileListing | null>(null);
  loadError = $state<IpcError | null>(null);
  /** Identity per profile, once checked. */
  identities = $state<Record<string, CallerIdentity>>({});
  /** The last failure per profile (shown on its row until the next check). */
  failures = $state<Record<string, IpcError>>({});
  checking = $state<Record<string, boolean>>({});
  mfa = $state<MfaPrompt | null>(null);
  readonly sso = new SsoStore();

  async load(): Promise<void> {
    try {
      const [listing, known] = await Promise.all([
        commands.listProfiles(),
        commands.knownIdentities(),
      ]);
      this.listing = listing;
      this.identities = Object.fromEntries(known.map((i) => [i.profile, i]));
      this.loadError = null;
      await this.sso.refresh(listing.ssoSessions.map((s) => s.name));
    } catch (thrown) {
      this.loadError = toIpcError(thrown);
    }
  }

  /** Checks who `profile` is; an MFA role opens the code prompt instead of failing. */
  async check(profile: string, refresh = true): Promise<void> {
    this.checking = { ...this.checking, [profile]: true };
    try {
      const identity = await commands.checkIdentity(profile, refresh);
      this.identities = { ...this.identities, [profile]: identity };
      const { [profile]: _, ...rest } = this.failures;
      this.failures = rest;
    } catch (thrown) {
      const error = toIpcError(thrown);
      if (error.code === "MfaRequired") {
        this.mfa = { profile, message: error.message };
      } else {
        this.failures = { ...this.failures, [profile]: error };
      }
    } finally {
      this.checking = { ...this.checking, [profile]: false };
    }
  }

  /** Sends the code; on success the prompt closes and the identity is checked again. */
  async submitMfa(code: string): Promise<void> {
    const prompt = this.mfa;
    if (!prompt) return;
    try {
      await commands.submitMfaCode(prompt.profile, code);
      this.mfa = null;
      await this.check(prompt.profile);
    } catch (thrown) {
      const error = toIpcError(thrown);
      if (error.code === "MfaRequired") {
        this.mfa = { profile: prompt.profile, message: error.message };
      } else {
        this.mfa = null;
        this.failures = { ...this.failures, [prompt.profile]: error };
      }
    }
  }

  cancelMfa(): void {
    this.mfa = null;
  }

  /** Adds a profile; throws the backend's error for the form to show. */
  async add(profile: NewProfile): Promise<void> {
    await commands.addProfile(profile);
    await this.load();
  }

  /** Signs in to the profile's IAM Identity Center session, then checks the profile again. */
  async signInFor(profile: string, session: string): Promise<void> {
    if (await this.sso.startSignIn(session)) await this.check(profile);
  }

  async remove(name: string): Promise<void> {
    await commands.deleteProfile(name);
    const { [name]: _, ...rest } = this.identities;
    this.identities = rest;
    await this.load();
  }
}
