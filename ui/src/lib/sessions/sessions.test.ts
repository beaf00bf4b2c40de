import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instance } from "../../test/fixtures";
import type { SessionEventDto } from "../ipc/bindings/SessionEventDto";
import { clearMocks, mockIPC } from "../ipc/testing";
import { SessionsStore } from "./sessions.svelte";

type Sink = { onmessage: (dto: SessionEventDto) => void };

let calls: { cmd: string; args: Record<string, unknown> }[];
let sink: Sink | null;
const text = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string) => btoa(s);

beforeEach(() => {
  calls = [];
  sink = null;
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "open_shell") {
      sink = a.onEvent as Sink;
      return "practice-0001";
    }
    return null;
  });
});

afterEach(() => clearMocks());

describe("SessionsStore", () => {
  it("opens a tab, keeps early output until a terminal attaches, then streams", async () => {
    const store = new SessionsStore();
    const tab = await store.open("practice", instance());
    expect(tab).toMatchObject({
      sessionId: "practice-0001",
      title: "web-prod-1",
      state: "connected",
    });
    expect(calls[0]).toMatchObject({
      cmd: "open_shell",
      args: { account: "practice", instanceId: "i-0000000000000001" },
    });
    sink?.onmessage({ kind: "output", data: b64("sh-5.2$ ") });

    const shown: string[] = [];
    store.attach(tab.key, (data) => shown.push(new TextDecoder().decode(data)));
    sink?.onmessage({ kind: "output", data: b64("whoami\r\n") });
    expect(shown).toEqual(["sh-5.2$ ", "whoami\r\n"]);
  });

  it("sends keystrokes base64-encoded to the right session", async () => {
    const store = new SessionsStore();
    const tab = await store.open("practice", instance());
    await store.input(tab.key, text("ls\r"));
    expect(calls.at(-1)).toEqual({
      cmd: "write_session",
      args: { id: "practice-0001", data: b64("ls\r") },
    });
  });

  it("keeps keystrokes in order when typed faster than they are sent", async () => {
    let release: () => void = () => {};
    const sent: string[] = [];
    mockIPC(async (cmd, args) => {
      const a = args as Record<string, unknown>;
      if (cmd === "open_shell") return "practice-0001";
      if (cmd === "write_session") {
        sent.push(atob(a.data as string));
        // The first write is slow; later keystrokes must wait for it, not overtake it.
        if (sent.length === 1) await new Promise<void>((r) => (release = r));
      }
      return null;
    });
    const store = new SessionsStore();
    const tab = await store.open("practice", instance());
    const typing = [..."is-active sshd"].map((ch) => store.input(tab.key, text(ch)));
    release();
    await Promise.all(typing);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.join("")).toBe("is-active sshd");
    expect(sent).toEqual(["i", "s-active sshd"]);
  });

  it("says when the connection dropped and is resumed, and keeps sending what is typed", async () => {
    const store = new SessionsStore();
    const tab = await store.open("practice", instance());
    const before = Date.now();
    sink?.onmessage({ kind: "reconnecting", cause: "connection reset", givesUpInSeconds: 60 });
    const reconnecting = store.tab(tab.key);
    expect(reconnecting?.state).toBe("reconnecting");
    expect(reconnecting?.reconnect?.cause).toBe("connection reset");
    const left = (reconnecting?.reconnect?.givesUpAt ?? 0) - before;
    expect(left).toBeGreaterThanOrEqual(60_000);
    expect(left).toBeLessThan(61_000);
    await store.input(tab.key, text("ls\r"));
    expect(calls.at(-1)).toMatchObject({ cmd: "write_session", args: { data: b64("ls\r") } });

    sink?.onmessage({ kind: "reconnected" });
    expect(store.tab(tab.key)).toMatchObject({ state: "connected", reconnect: null });
  });

  it("marks a tab closed with the shell's exit status", async () => {
    const store = new SessionsStore();
    const tab = await store.open("practice", instance());
    sink?.onmessage({ kind: "closed", end: { reason: "exited", exitCode: 0 } });
    expect(store.tab(tab.key)).toMatchObject({
      state: "closed",
      end: { reason: "exited", exitCode: 0 },
    });
    await store.input(tab.key, text("whoami\r"));
    expect(calls.some((c) => c.cmd === "write_session")).toBe(false);
  });

  it("terminates a live session when its tab closes, and picks the neighbour", async () => {
    const store = new SessionsStore();
    const first = await store.open("practice", instance());
    const second = await store.open("practice", instance({ id: "i-2", name: "web-prod-2" }));
    expect(store.activeKey).toBe(second.key);
    await store.close(second.key);
    expect(calls.at(-1)).toEqual({ cmd: "close_session", args: { id: "practice-0001" } });
    expect(store.tabs.map((t) => t.key)).toEqual([first.key]);
    expect(store.activeKey).toBe(first.key);
  });

  it("keeps the reason when Session Manager refuses", async () => {
    mockIPC(() => {
      throw { code: "TargetNotConnected", message: "i-1 is not connected to Session Manager" };
    });
    const store = new SessionsStore();
    const tab = await store.open("practice", instance());
    expect(tab.state).toBe("closed");
    expect(tab.error?.code).toBe("TargetNotConnected");
  });
});
