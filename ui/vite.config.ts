import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

// Tauri serves the built files from disk; the dev server port must match tauri.conf.json.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "safari15", sourcemap: false },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-setup.ts"],
    // A bound on a hung test, not a speed check: CI runs this beside clippy and the Rust
    // tests on two cores, where axe over the fleet screen alone took more than the default 5 s.
    testTimeout: 30_000,
  },
});
