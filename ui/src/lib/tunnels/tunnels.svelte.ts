/** Open tunnels and their live status, and the presets the panel offers. */
import {
  type Client,
  commands,
  type IpcError,
  type TunnelInfo,
  type TunnelRequest,
  type TunnelStatus,
  type TunnelUpdate,
  toIpcError,
} from "../ipc";

export interface Preset {
  id: string;
  port: number;
  /** What to open on the tunnel once it listens. */
  client: Client | null;
}

/** Common ports, so nobody has to remember that RDP is 3389. */
export const PRESETS: readonly Preset[] = [
  { id: "ssh", port: 22, client: "ssh" },
  { id: "rdp", port: 3389, client: "remoteDesktop" },
  { id: "http", port: 80, client: "browser" },
  { id: "postgresql", port: 5432, client: null },
  { id: "mysql", port: 3306, client: null },
];

export interface OpenTunnel {
  info: TunnelInfo;
  status: TunnelStatus | null;
  /** While reconnecting: when Unyo gives up (ms epoch), counted from the drop. */
  givesUpAt: number | null;
}

/** When a tunnel in `status` gives up, keeping the deadline set when the drop was first seen. */
function deadline(previous: OpenTunnel | undefined, status: TunnelStatus | null): number | null {
  if (status?.state.state !== "reconnecting") return null;
  return previous?.givesUpAt ?? Date.now() + status.state.givesUpInSeconds * 1000;
}

/** Whether a bind address only accepts connections from this computer. */
export function isLoopback(address: string): boolean {
  const a = address.trim();
  return a === "::1" || a === "localhost" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The AWS CLI command that opens the same tunnel. */
export function cliEquivalent(request: TunnelRequest): string {
  const { target } = request;
  const local = request.localPort === 0 ? target.remotePort : request.localPort;
  if (target.remoteHost) {
    return `aws ssm start-session --target ${target.instanceId} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=${target.remoteHost},portNumber=${target.remotePort},localPortNumber=${local}`;
  }
  return `aws ssm start-session --target ${target.instanceId} --document-name AWS-StartPortForwardingSession --parameters portNumber=${target.remotePort},localPortNumber=${local}`;
}

export class TunnelsStore {
  tunnels = $state<Record<string, OpenTunnel>>({});
  clients = $state<Client[]>([]);
  error = $state<IpcError | null>(null);

  async loadClients(): Promise<void> {
    try {
      this.clients = await commands.tunnelClients();
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }

  /** Opens a tunnel; throws the backend's error for the form to show. */
  async open(account: string, request: TunnelRequest): Promise<TunnelInfo> {
    const info = await commands.openTunnel(account, request, (update) => this.onStatus(update));
    const early = this.early.get(info.id) ?? null;
    this.early.delete(info.id);
    this.tunnels = {
      ...this.tunnels,
      [info.id]: { info, status: early, givesUpAt: deadline(undefined, early) },
    };
    return info;
  }

  /** Status that arrives before the open call has returned waits here. */
  private readonly early = new Map<string, TunnelStatus>();

  private onStatus(update: TunnelUpdate): void {
    const open = this.tunnels[update.id];
    if (open) {
      this.tunnels = {
        ...this.tunnels,
        [update.id]: { ...open, status: update.status, givesUpAt: deadline(open, update.status) },
      };
    } else {
      this.early.set(update.id, update.status);
    }
  }

  async close(id: string): Promise<void> {
    try {
      await commands.closeTunnel(id);
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }

  /** Removes a closed tunnel from the list. */
  dismiss(id: string): void {
    const { [id]: _, ...rest } = this.tunnels;
    this.tunnels = rest;
  }

  async openClient(id: string, client: Client): Promise<void> {
    try {
      await commands.openTunnelClient(id, client);
      this.error = null;
    } catch (thrown) {
      this.error = toIpcError(thrown);
    }
  }
}
