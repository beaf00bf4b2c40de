/**
 * Open terminal sessions, as tabs. A tab outlives screen changes; its output is kept until a
 * terminal view attaches, so nothing printed while the view was away is lost.
 */
import {
  commands,
  type Instance,
  type IpcError,
  type SessionEnd,
  type SessionEvent,
  toIpcError,
} from "../ipc";

export type TabState = "connecting" | "connected" | "reconnecting" | "closed";

export interface SessionTab {
  /** Local key; the session id is known only once the session has opened. */
  key: number;
  sessionId: string | null;
  instanceId: string;
  title: string;
  state: TabState;
  end: SessionEnd | null;
  error: IpcError | null;
  /** While reconnecting: why the connection dropped, and when Unyo gives up (ms epoch). */
  reconnect: { cause: string; givesUpAt: number } | null;
}

type Writer = (data: Uint8Array) => void;

/** Whether the session is open on the service: connected, or being resumed. */
function isLive(tab: SessionTab): boolean {
  return tab.state === "connected" || tab.state === "reconnecting";
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

export class SessionsStore {
  tabs = $state<SessionTab[]>([]);
  activeKey = $state<number | null>(null);
  readonly active = $derived(this.tabs.find((t) => t.key === this.activeKey) ?? null);

  #nextKey = 1;
  #writers = new Map<number, Writer>();
  #pending = new Map<number, Uint8Array[]>();
  #outbox = new Map<number, Uint8Array[]>();

  /** Opens a shell on `instance` in a new tab and makes it the active one. */
  async open(account: string, instance: Instance): Promise<SessionTab> {
    const key = this.#nextKey++;
    this.tabs.push({
      key,
      sessionId: null,
      instanceId: instance.id,
      title: instance.name || instance.id,
      state: "connecting",
      end: null,
      error: null,
      reconnect: null,
    });
    this.activeKey = key;
    try {
      const sessionId = await commands.openShell(account, instance.id, instance.region, (event) =>
        this.#receive(key, event),
      );
      this.#update(key, (tab) => {
        tab.sessionId = sessionId;
        if (tab.state === "connecting") tab.state = "connected";
      });
    } catch (thrown) {
      this.#update(key, (tab) => {
        tab.state = "closed";
        tab.error = toIpcError(thrown);
      });
    }
    return this.tab(key) as SessionTab;
  }

  tab(key: number): SessionTab | undefined {
    return this.tabs.find((t) => t.key === key);
  }

  /** Connects a terminal view to a tab and replays what arrived before it. */
  attach(key: number, writer: Writer): () => void {
    this.#writers.set(key, writer);
    for (const chunk of this.#pending.get(key) ?? []) writer(chunk);
    this.#pending.delete(key);
    return () => this.#writers.delete(key);
  }

  /**
   * Sends keystrokes in the order they were typed. IPC calls may complete out of order, so
   * one write per tab is in flight at a time; what is typed meanwhile goes out together next.
   */
  async input(key: number, data: Uint8Array): Promise<void> {
    const tab = this.tab(key);
    // Typed while reconnecting, it waits in the channel and goes out once resumed.
    if (!tab?.sessionId || !isLive(tab)) return;
    const queued = this.#outbox.get(key);
    if (queued) {
      queued.push(data);
      return;
    }
    const outbox = [data];
    this.#outbox.set(key, outbox);
    try {
      while (outbox.length > 0) {
        const chunk = concat(outbox.splice(0));
        await commands.writeSession(tab.sessionId, chunk);
      }
    } catch (thrown) {
      this.#update(key, (t) => {
        t.error = toIpcError(thrown);
      });
    } finally {
      this.#outbox.delete(key);
    }
  }

  async resize(key: number, cols: number, rows: number): Promise<void> {
    const tab = this.tab(key);
    if (!tab?.sessionId || !isLive(tab)) return;
    await commands.resizeSession(tab.sessionId, { cols, rows }).catch(() => {});
  }

  /** Closes a tab; a live session is terminated first, never left running. */
  async close(key: number): Promise<void> {
    const tab = this.tab(key);
    if (tab?.sessionId && isLive(tab)) {
      await commands.closeSession(tab.sessionId).catch(() => {});
    }
    const index = this.tabs.findIndex((t) => t.key === key);
    this.tabs = this.tabs.filter((t) => t.key !== key);
    this.#writers.delete(key);
    this.#pending.delete(key);
    if (this.activeKey === key) {
      const next = this.tabs[Math.min(index, this.tabs.length - 1)];
      this.activeKey = next?.key ?? null;
    }
  }

  #receive(key: number, event: SessionEvent): void {
    if (event.kind === "output") {
      const writer = this.#writers.get(key);
      if (writer) writer(event.data);
      else this.#pending.set(key, [...(this.#pending.get(key) ?? []), event.data]);
    } else if (event.kind === "reconnecting") {
      this.#update(key, (tab) => {
        tab.state = "reconnecting";
        tab.reconnect = {
          cause: event.cause,
          givesUpAt: Date.now() + event.givesUpInSeconds * 1000,
        };
      });
    } else if (event.kind === "reconnected") {
      this.#update(key, (tab) => {
        tab.state = "connected";
        tab.reconnect = null;
      });
    } else {
      this.#update(key, (tab) => {
        tab.state = "closed";
        tab.end = event.end;
        tab.reconnect = null;
      });
    }
  }

  #update(key: number, change: (tab: SessionTab) => void): void {
    const tab = this.tabs.find((t) => t.key === key);
    if (tab) change(tab);
  }
}
