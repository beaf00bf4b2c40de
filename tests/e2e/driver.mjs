/**
 * Starts tauri-driver (which runs WebKitWebDriver, which launches the real app binary) and
 * opens a WebDriver session on it. `cargo xtask test` sets the environment: the binary, a
 * hermetic HOME and XDG dirs, the screenshot folder, and runs this under Xvfb and D-Bus.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { remote } from "webdriverio";

const PORT = Number(process.env.UNYO_E2E_PORT ?? 4444);
const APP_ID = "app.unyo.desktop";

/**
 * Each test file runs in its own process and starts from a first run: no settings, window
 * state or web view storage left by another file (a language chosen in one file would
 * otherwise greet the next in Japanese). The fixture AWS files and the keyring stay.
 */
function forgetAppState() {
  for (const base of [process.env.XDG_CONFIG_HOME, process.env.XDG_DATA_HOME]) {
    if (base) rmSync(join(base, APP_ID), { recursive: true, force: true });
  }
}
forgetAppState();

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the end-to-end tests with \`cargo xtask test\``);
  return value;
}

/** Resolves once something listens on the loopback `port`; `what` names it in the error. */
export async function waitForPort(port, timeoutMs, what = "tauri-driver") {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/**
 * Starts tauri-driver; the app it launches inherits `env` on top of this process's. With
 * `capture`, everything the driver and the app print is also kept, for tests that check logs
 * (read it with `logs(driver)`).
 */
export async function startDriver({ env = {}, capture = false } = {}) {
  const driver = spawn(required("UNYO_TAURI_DRIVER"), ["--port", String(PORT)], {
    stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
    env: { ...process.env, ...env },
  });
  if (capture) {
    driver.captured = [];
    for (const [stream, sink] of [
      [driver.stdout, process.stdout],
      [driver.stderr, process.stderr],
    ]) {
      stream.on("data", (chunk) => {
        driver.captured.push(chunk.toString());
        sink.write(chunk);
      });
    }
  }
  await waitForPort(PORT, 15000);
  return driver;
}

/** What a driver started with `capture` has printed so far. */
export function logs(driver) {
  return (driver.captured ?? []).join("");
}

export async function openApp() {
  return remote({
    hostname: "127.0.0.1",
    port: PORT,
    logLevel: "warn",
    capabilities: {
      "tauri:options": { application: required("UNYO_APP_BINARY") },
      "wdio:enforceWebDriverClassic": true,
    },
  });
}

export async function screenshot(browser, name) {
  const dir = required("UNYO_SCREENSHOT_DIR");
  mkdirSync(dir, { recursive: true });
  // The DOM can be ahead of the pixels: wait until two frames have been painted.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await browser.saveScreenshot(join(dir, `${name}.png`));
}

/** Texts of the first cell (the name) of every fleet row. */
export async function fleetNames(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="fleet-table"] tbody tr td:first-child')).map(
      (td) => td.textContent.trim(),
    ),
  );
}

/** Empties a text field as a user does (select all, delete), so the app sees input events. */
export async function clearField(browser, selector) {
  await browser.$(selector).click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
}

/** What the active terminal shows, row by row. */
export async function terminalText(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div'))
      .map((row) => row.textContent)
      .join("\n"),
  );
}

/**
 * Types into the focused element one key at a time, at a brisk human pace, then Enter.
 * (WebKitWebDriver delivers a multi-key sequence as one synthetic burst, in which xterm.js
 * drops keys; a person's keystrokes arrive one by one.)
 */
export async function typeKeys(browser, text) {
  for (const key of text) {
    await browser.keys(key);
    await new Promise((r) => setTimeout(r, 15));
  }
  await browser.keys("Enter");
}

/** Opens a scenario from the Lessons list and starts it. */
export async function startScenario(browser, id) {
  await browser.keys(["Control", "6"]);
  // The screen reopens on the last scenario's page; the list is one step back.
  const back = browser.$('[data-testid="lesson-back"]');
  if (await back.isExisting()) await back.click();
  const row = browser.$(`[data-testid="lesson-row"][data-id="${id}"]`);
  await row.waitForExist({ timeout: 10000 });
  await row.$('[data-testid="lesson-open"]').click();
  const start = browser.$('[data-testid="lesson-start"]');
  await start.waitForClickable({ timeout: 5000 });
  await start.click();
  await browser.$('[data-testid="lesson-panel"]').waitForExist({ timeout: 10000 });
  await browser.waitUntil(
    async () => (await browser.$('[data-testid="lesson-page"]').getAttribute("data-status")) === "inProgress",
    { timeout: 5000, timeoutMsg: "the scenario did not show as in progress" },
  );
}

/**
 * Confirms a previewed change as a user does: fills its change record (why, rollback) and
 * types the target the preview names, when it asks for them, then presses Run.
 */
export async function confirmChange(
  browser,
  testid,
  record = { why: "sshd is down on the bastion", rollback: "restore sshd_config from its backup" },
) {
  const run = browser.$(`[data-testid="${testid}-run"]`);
  await run.waitForExist({ timeout: 10000 });
  for (const [field, value] of Object.entries(record)) {
    const box = browser.$(`[data-testid="${testid}-${field}"]`);
    if (await box.isExisting()) await box.setValue(value);
  }
  const typed = browser.$(`[data-testid="${testid}-confirm"]`);
  if (await typed.isExisting()) await typed.setValue(await typed.getAttribute("data-expected"));
  await run.waitForClickable({ timeout: 10000 });
  await run.click();
}
