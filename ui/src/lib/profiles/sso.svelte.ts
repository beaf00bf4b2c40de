/**
 * IAM Identity Center sessions on the Profiles screen: their sign-in status, a sign-in in
 * progress (the code the user approves in the browser), and importing accounts and roles.
 */
import {
  type AccountRole,
  commands,
  type DeviceAuthorization,
  type IpcError,
  type TokenStatus,
  toIpcError,
} from "../ipc";

export interface SignIn {
  session: string;
  authorization: DeviceAuthorization | null;
  error: IpcError | null;
}

export interface Import {
  session: string;
  roles: AccountRole[] | null;
  error: IpcError | null;
}

export class SsoStore {
  statuses = $state<Record<string, TokenStatus>>({});
  errors = $state<Record<string, IpcError>>({});
  signIn = $state<SignIn | null>(null);
  importing = $state<Import | null>(null);

  async refresh(sessions: string[]): Promise<void> {
    await Promise.all(sessions.map((s) => this.refreshOne(s)));
  }

  private async refreshOne(session: string): Promise<void> {
    try {
      const status = await commands.ssoStatus(session);
      this.statuses = { ...this.statuses, [session]: status };
      const { [session]: _, ...rest } = this.errors;
      this.errors = rest;
    } catch (thrown) {
      this.errors = { ...this.errors, [session]: toIpcError(thrown) };
    }
  }

  /** Opens the approval page and waits; resolves once signed in (or failed, with the reason shown). */
  async startSignIn(session: string): Promise<boolean> {
    this.signIn = { session, authorization: null, error: null };
    try {
      const authorization = await commands.ssoSignIn(session);
      if (this.signIn?.session !== session) return false;
      this.signIn = { session, authorization, error: null };
      const status = await commands.ssoWait(session);
      this.statuses = { ...this.statuses, [session]: status };
      if (this.signIn?.session === session) this.signIn = null;
      return true;
    } catch (thrown) {
      if (this.signIn?.session === session) {
        this.signIn = { ...this.signIn, error: toIpcError(thrown) };
      }
      return false;
    }
  }

  /** Stops showing the sign-in; the page the user opened stays valid until its code expires. */
  closeSignIn(): void {
    this.signIn = null;
  }

  async signOut(session: string): Promise<void> {
    try {
      await commands.ssoSignOut(session);
    } catch (thrown) {
      this.errors = { ...this.errors, [session]: toIpcError(thrown) };
    }
    await this.refreshOne(session);
  }

  async openImport(session: string): Promise<void> {
    this.importing = { session, roles: null, error: null };
    try {
      const roles = await commands.ssoAccountRoles(session);
      if (this.importing?.session === session) this.importing = { session, roles, error: null };
    } catch (thrown) {
      if (this.importing?.session === session) {
        this.importing = { session, roles: null, error: toIpcError(thrown) };
      }
    }
  }

  closeImport(): void {
    this.importing = null;
  }
}
