/**
 * Profiles in the real app against the moto emulator on loopback: the fixture's AWS-file
 * profiles with their chains, an identity check, an MFA role asked once, and a Unyo profile
 * added with access keys (into the real Secret Service), used, deleted — after which no byte
 * of the secret is anywhere the app writes, nor in its logs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { logs, openApp, screenshot, startDriver, waitForPort } from "./driver.mjs";

const SECRET = "e2eSecretKey/DoNotLeak+0123456789abcdefghij";
const KEY_ID = "AKIAE2ETESTKEY000001";

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir, needle) {
  const found = [];
  const walk = (path) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (stats.isFile() && readFileSync(path).includes(needle)) {
      found.push(path);
    }
  };
  walk(dir);
  return found;
}

const row = (name) => `[data-testid="profile-row"][data-profile="${name}"]`;

let moto;
let driver;

before(async () => {
  const port = await freePort();
  moto = spawn(process.env.UNYO_MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: "ignore",
  });
  await waitForPort(port, 30000, "moto");
  driver = await startDriver({
    env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, UNYO_LOG: "debug" },
    capture: true,
  });
});

after(() => {
  driver?.kill();
  moto?.kill();
});

describe("Profiles", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$('[data-testid="nav-profiles"]').waitForExist({ timeout: 20000 });
    await browser.$('[data-testid="nav-profiles"]').click();
    await browser.$(row("prod-admin")).waitForExist({ timeout: 10000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("lists the AWS-file profiles with their chains and the broken line", async () => {
    assert.equal(await browser.$(`${row("prod-admin")} [data-testid="profile-chain"]`).getText(), "default");
    assert.match(await browser.$(row("prod-admin")).getText(), /MFA/);
    assert.match(await browser.$(row("staging")).getText(), /corp/);
    assert.match(await browser.$(".issues").getText(), /config:17/);
  });

  it("checks who a profile is through STS", async () => {
    await browser.$(`${row("default")} [data-testid="profile-check"]`).click();
    const identity = browser.$(`${row("default")} [data-testid="profile-identity"]`);
    await identity.waitUntil(async () => /123456789012/.test(await identity.getText()), {
      timeout: 20000,
      timeoutMsg: "no identity shown for default",
    });
  });

  it("asks for an MFA code once, then shows the assumed role", async () => {
    await browser.$(`${row("prod-admin")} [data-testid="profile-check"]`).click();
    await browser.$('[data-testid="mfa-code"]').waitForExist({ timeout: 20000 });
    assert.match(await browser.$('[data-testid="mfa-message"]').getText(), /mfa\/operator/);
    await screenshot(browser, "profiles-mfa");
    await browser.$('[data-testid="mfa-code"]').setValue("123456");
    await browser.$('[data-testid="mfa-submit"]').click();
    const identity = browser.$(`${row("prod-admin")} [data-testid="profile-identity"]`);
    await identity.waitUntil(async () => /assumed-role\/OpsAdmin/.test(await identity.getText()), {
      timeout: 20000,
      timeoutMsg: "no assumed role shown for prod-admin",
    });
    // Checking again needs no code: the session is in the keychain.
    await browser.$(`${row("prod-admin")} [data-testid="profile-check"]`).click();
    await browser.pause(1500);
    assert.equal(await browser.$('[data-testid="mfa-code"]').isExisting(), false);
    await screenshot(browser, "profiles");
  });

  it("adds access keys to the keychain, uses them, deletes them, and leaks them nowhere", async () => {
    await browser.$('[data-testid="profiles-add"]').click();
    await browser.$('[data-testid="add-name"]').setValue("e2e-keys");
    await browser.$('[data-testid="add-access-key-id"]').setValue(KEY_ID);
    await browser.$('[data-testid="add-secret-access-key"]').setValue(SECRET.slice(0, 40));
    await browser.$('[data-testid="add-submit"]').click();
    await browser.$(row("e2e-keys")).waitForExist({ timeout: 10000 });
    const added = await browser.$(row("e2e-keys")).getText();
    assert.match(added, /Unyo/);
    // The UI only ever sees the masked key id.
    assert.match(added, /AKIA\*{12}0001/);

    await browser.$(`${row("e2e-keys")} [data-testid="profile-check"]`).click();
    const identity = browser.$(`${row("e2e-keys")} [data-testid="profile-identity"]`);
    await identity.waitUntil(async () => /arn:aws:/.test(await identity.getText()), {
      timeout: 20000,
      timeoutMsg: "the keychain profile did not work",
    });

    // The page never holds the secret once the form is gone.
    const html = await browser.execute(() => document.documentElement.outerHTML);
    assert.ok(!html.includes(SECRET.slice(0, 40)), "the secret is still in the page");

    await browser.$(`${row("e2e-keys")} [data-testid="profile-delete"]`).click();
    await browser.$('[data-testid="delete-confirm"]').click();
    await browser.$(row("e2e-keys")).waitForExist({ timeout: 10000, reverse: true });

    const world = process.env.UNYO_E2E_WORLD;
    assert.ok(world, "UNYO_E2E_WORLD is not set");
    const secret = SECRET.slice(0, 40);
    assert.deepEqual(filesContaining(world, secret), [], "the secret was written to a file");
    assert.deepEqual(filesContaining(world, KEY_ID), [], "the whole key id was written to a file");
    assert.ok(logs(driver).length > 0, "no logs were captured");
    assert.ok(!logs(driver).includes(secret), "the secret reached the logs");
  });
});
