import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { locale } from "svelte-i18n";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TunnelUpdate } from "../../lib/ipc";
import { clearMocks, mockIPC } from "../../lib/ipc/testing";
import { TunnelsStore } from "../../lib/tunnels/tunnels.svelte";
import { FLEET } from "../../test/fixtures";
import TunnelsScreen from "./TunnelsScreen.svelte";

type Sink = { onmessage: (update: TunnelUpdate) => void };

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let sink: Sink | null = null;

beforeEach(() => {
  calls = [];
  sink = null;
  locale.set("en");
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "list_fleet") return FLEET;
    if (cmd === "tunnel_clients") return ["browser", "ssh"];
    if (cmd === "open_tunnel") {
      sink = a.onStatus as Sink;
      const request = a.request as { target: unknown };
      return {
        id: "tunnel-1",
        account: "practice",
        target: request.target,
        localAddress: "127.0.0.1:49152",
        exposed: false,
      };
    }
    if (cmd === "estimate_session") {
      const hybrid = String(a.nodeId).startsWith("mi-");
      return {
        total: hybrid ? "0.05" : "0",
        lines: [
          hybrid
            ? { en: "1 session × $0.05 = $0.05", ja: "1 セッション × $0.05 = $0.05" }
            : { en: "Session Manager is free on EC2 instances", ja: "無料" },
        ],
        freeTier: null,
        fitsFreeTier: null,
        free: !hybrid,
        upperBound: false,
        unconfirmed: true,
        unknown: null,
        basis: { region: "us-east-1", origin: { kind: "embedded" }, asOf: "2026-10-07" },
      };
    }
    if (cmd === "close_tunnel") return null;
    if (cmd === "open_tunnel_client") return null;
    throw new Error(`unexpected command ${cmd}`);
  });
});

afterEach(() => clearMocks());

const props = () => ({
  store: new TunnelsStore(),
  account: "practice",
  regions: [],
  initialInstance: "i-0000000000000001",
});

describe("TunnelsScreen", () => {
  it("shows what the tunnel's session costs before it opens: free on EC2, priced elsewhere", async () => {
    render(TunnelsScreen, { ...props(), regions: ["us-east-1"] });
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-cost").textContent?.trim()).toBe(
        "Free: Session Manager is free on EC2 instances",
      ),
    );
    await fireEvent.input(screen.getByTestId("tunnel-instance"), {
      target: { value: "mi-0123456789abcdef0" },
    });
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-estimate-figure").textContent).toBe("$0.05"),
    );
    expect(screen.getByTestId("tunnel-cost").textContent).toContain("1 session × $0.05 = $0.05");
    expect(calls.filter((c) => c.cmd === "estimate_session").at(-1)?.args).toEqual({
      account: "practice",
      region: "us-east-1",
      nodeId: "mi-0123456789abcdef0",
    });
  });

  it("opens a tunnel from a preset and shows its live state, traffic and client", async () => {
    render(TunnelsScreen, props());
    expect(screen.getByTestId("tunnel-instance")).toHaveProperty("value", "i-0000000000000001");
    expect(screen.getByTestId("tunnel-cli").textContent).toBe(
      "aws ssm start-session --target i-0000000000000001 --document-name AWS-StartPortForwardingSession --parameters portNumber=80,localPortNumber=80",
    );
    await fireEvent.click(screen.getByTestId("tunnel-open"));
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-local").textContent).toBe("127.0.0.1:49152"),
    );
    expect(calls.find((c) => c.cmd === "open_tunnel")?.args).toMatchObject({
      account: "practice",
      request: {
        target: { instanceId: "i-0000000000000001", remoteHost: null, remotePort: 80 },
        bindAddress: "127.0.0.1",
        localPort: 0,
      },
    });
    sink?.onmessage({
      id: "tunnel-1",
      status: {
        state: { state: "connecting" },
        connectionsOpen: 0,
        connectionsTotal: 0,
        bytesIn: 0,
        bytesOut: 0,
        lastError: null,
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-state").textContent?.trim()).toBe(
        "Connecting to the instance…",
      ),
    );
    sink?.onmessage({
      id: "tunnel-1",
      status: {
        state: { state: "listening" },
        connectionsOpen: 1,
        connectionsTotal: 3,
        bytesIn: 2048,
        bytesOut: 300,
        lastError: null,
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-stats").textContent).toBe(
        "1 open · 3 connections · 2.0 KiB received · 300 B sent",
      ),
    );
    expect(screen.getByTestId("tunnel-state").textContent?.trim()).toBe("Listening");
    await fireEvent.click(screen.getByTestId("tunnel-client-browser"));
    expect(calls.at(-1)).toMatchObject({
      cmd: "open_tunnel_client",
      args: { id: "tunnel-1", client: "browser" },
    });
    sink?.onmessage({
      id: "tunnel-1",
      status: {
        state: { state: "reconnecting", cause: "connection reset", givesUpInSeconds: 60 },
        connectionsOpen: 1,
        connectionsTotal: 3,
        bytesIn: 2048,
        bytesOut: 300,
        lastError: null,
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-state").textContent?.trim()).toBe(
        "Reconnecting (connection reset), giving up in 60 s; connections wait",
      ),
    );
    sink?.onmessage({
      id: "tunnel-1",
      status: {
        state: { state: "closed", reason: "stopped" },
        connectionsOpen: 0,
        connectionsTotal: 3,
        bytesIn: 2048,
        bytesOut: 300,
        lastError: null,
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId("tunnel-state").textContent?.trim()).toBe("Closed: stopped"),
    );
    expect(screen.queryByTestId("tunnel-stop")).toBeNull();
  });

  it("warns before listening on every network and uses the remote-host document", async () => {
    render(TunnelsScreen, props());
    expect(screen.queryByTestId("tunnel-exposed-warning")).toBeNull();
    await fireEvent.change(screen.getByTestId("tunnel-bind"), { target: { value: "0.0.0.0" } });
    expect(screen.getByTestId("tunnel-exposed-warning").textContent).toContain("other computers");
    await fireEvent.input(screen.getByTestId("tunnel-remote-host"), {
      target: { value: "db.internal" },
    });
    await fireEvent.change(screen.getByTestId("tunnel-preset"), {
      target: { value: "postgresql" },
    });
    expect(screen.getByTestId("tunnel-cli").textContent).toBe(
      "aws ssm start-session --target i-0000000000000001 --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=db.internal,portNumber=5432,localPortNumber=5432",
    );
  });
});
