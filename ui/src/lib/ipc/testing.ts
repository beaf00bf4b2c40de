/** Test-only access to Tauri's IPC mocks, so tests too import `@tauri-apps/*` through here. */
export { emit } from "@tauri-apps/api/event";
export { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
