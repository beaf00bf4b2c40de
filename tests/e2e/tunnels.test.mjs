/**
 * A port forward on the practice account, as a user makes one: from an instance in the fleet,
 * "Forward a port…", the web preset, then a real HTTP request from this process to the local
 * port reaches the simulated nginx; the panel counts it, and stopping closes the port.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openApp, screenshot, startDriver } from "./driver.mjs";

let driver;

before(async () => {
  driver = await startDriver();
});

after(() => {
  driver?.kill();
});

describe("Tunnels", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$('[data-testid="fleet-table"] tbody tr').waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("forwards a local port to the instance's web server and counts the traffic", async () => {
    await browser.$('[data-testid="fleet-table"] tr[data-id="i-0a1f3c5e7b9d10001"] td').click();
    await browser.$('[data-testid="forward-port"]').click();
    const instance = browser.$('[data-testid="tunnel-instance"]');
    await instance.waitForExist({ timeout: 5000 });
    assert.equal(await instance.getValue(), "i-0a1f3c5e7b9d10001");
    await browser.$('[data-testid="tunnel-open"]').click();
    const local = browser.$('[data-testid="tunnel-local"]');
    await local.waitForExist({ timeout: 10000 });
    const address = await local.getText();
    assert.match(address, /^127\.0\.0\.1:\d+$/);

    const response = await fetch(`http://${address}/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Welcome to nginx on ip-10-0-1-11/);

    const stats = browser.$('[data-testid="tunnel-stats"]');
    await stats.waitUntil(async () => /(^0 .*\b1 connection)|(累計 1 件)/.test(await stats.getText()), {
      timeout: 5000,
      timeoutMsg: "the tunnel did not count the connection",
    });
    await screenshot(browser, "tunnels");

    await browser.$('[data-testid="tunnel-stop"]').click();
    const state = browser.$('[data-testid="tunnel-state"]');
    await state.waitUntil(async () => /stopped/.test(await state.getText()), {
      timeout: 5000,
      timeoutMsg: "the tunnel did not close",
    });
    await assert.rejects(fetch(`http://${address}/`), "the local port still accepts connections");
  });
});
