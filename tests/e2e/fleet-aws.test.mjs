/**
 * The fleet of a real AWS profile in the real app, against the moto emulator on loopback:
 * EC2 instances in two regions, listed region by region with Systems Manager's status unknown
 * (moto has no DescribeInstanceInformation) and that said once per region, every region of the
 * account at once, search across them, and the practice account listed beside the profile.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { fleetNames, openApp, screenshot, startDriver, waitForPort } from "./driver.mjs";

const testid = (id) => `[data-testid="${id}"]`;

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts tagged instances through the EC2 Query API, as the AWS CLI would. moto takes the
 * region from the credential scope and does not check signatures.
 */
async function runInstances(endpoint, region, names) {
  const body = new URLSearchParams({
    Action: "RunInstances",
    Version: "2016-11-15",
    ImageId: "ami-12c6146b",
    InstanceType: "t3.micro",
    MinCount: String(names.length),
    MaxCount: String(names.length),
  });
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  const xml = await response.text();
  assert.equal(response.status, 200, xml);
  const ids = [...xml.matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g)].map((m) => m[1]);
  assert.equal(ids.length, names.length, xml);
  for (const [index, id] of ids.entries()) {
    const tag = new URLSearchParams({
      Action: "CreateTags",
      Version: "2016-11-15",
      "ResourceId.1": id,
      "Tag.1.Key": "Name",
      "Tag.1.Value": names[index],
      "Tag.2.Key": "Env",
      "Tag.2.Value": region === "us-east-1" ? "batch" : "prod",
    });
    const tagged = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: tag,
    });
    assert.equal(tagged.status, 200, await tagged.text());
  }
}

async function waitForNames(browser, expected, what) {
  await browser.waitUntil(
    async () => JSON.stringify((await fleetNames(browser)).sort()) === JSON.stringify(expected),
    { timeout: 30000, timeoutMsg: `expected ${what}: ${expected.join(", ")}` },
  );
}

const failures = (browser) =>
  browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="fleet-failure"]')).map((p) => p.textContent),
  );

let moto;
let driver;

before(async () => {
  const port = await freePort();
  moto = spawn(process.env.UNYO_MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: "ignore",
    // moto's own botocore would read the fixture's AWS config, whose broken line (there for
    // the app's sake) makes it fail RunInstances.
    env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
  });
  await waitForPort(port, 30000, "moto");
  const endpoint = `http://127.0.0.1:${port}`;
  await runInstances(endpoint, "ap-northeast-1", ["api-1", "api-2"]);
  await runInstances(endpoint, "us-east-1", ["batch-1"]);
  driver = await startDriver({ env: { AWS_ENDPOINT_URL: endpoint } });
});

after(() => {
  driver?.kill();
  moto?.kill();
});

describe("Fleet on an AWS profile", () => {
  let browser;

  before(async () => {
    browser = await openApp();
    await browser.$(`${testid("fleet-table")} tbody tr`).waitForExist({ timeout: 20000 });
  });

  after(async () => {
    await browser?.deleteSession();
  });

  it("lists the profile's region from EC2 with SSM status unknown, and says why once", async () => {
    await browser.$(testid("account-select")).selectByAttribute("value", "profile:default");
    await waitForNames(browser, ["api-1", "api-2"], "the Tokyo instances");
    assert.equal(await browser.$(testid("region-select")).getValue(), "ap-northeast-1");
    const rows = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="fleet-table"] tbody tr[data-key]')).map(
        (tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent.trim()),
      ),
    );
    for (const cells of rows) {
      assert.equal(cells[2], "default", "the account column names the profile");
      assert.equal(cells[3], "ap-northeast-1");
      assert.equal(cells[6], "Unknown", "moto cannot say whether the agent is registered");
    }
    await browser.waitUntil(async () => (await failures(browser)).length === 1, {
      timeout: 10000,
      timeoutMsg: "expected Systems Manager's error once",
    });
    assert.match((await failures(browser))[0], /^default · ap-northeast-1 could not be listed: /);
    await screenshot(browser, "fleet-aws");
  });

  it("lists every region of the account, and finds an instance by tag across them", async () => {
    await browser.$(testid("region-select")).selectByAttribute("value", "");
    await waitForNames(browser, ["api-1", "api-2", "batch-1"], "instances of both regions");
    await browser.$(testid("fleet-progress")).waitForExist({ reverse: true, timeout: 60000 });
    await browser.$(testid("fleet-filter")).setValue("env=batch");
    await waitForNames(browser, ["batch-1"], "the instance tagged Env=batch");
    await browser.$(testid("fleet-filter")).clearValue();
    await browser.$(testid("fleet-filter")).setValue(" ");
  });

  it("lists the practice account beside the profile", async () => {
    await browser.$(`${testid("account-scope")} summary`).click();
    const practice = await browser.$(`${testid("account-scope")} input[type="checkbox"]`);
    await practice.click();
    await browser.waitUntil(async () => (await fleetNames(browser)).includes("web-prod-1"), {
      timeout: 30000,
      timeoutMsg: "practice instances did not join the profile's",
    });
    const names = await fleetNames(browser);
    for (const name of ["api-1", "api-2", "batch-1"]) assert.ok(names.includes(name), name);
    assert.match(await browser.$(`${testid("account-scope")} summary`).getText(), /2/);
    await screenshot(browser, "fleet-two-accounts");
  });
});
