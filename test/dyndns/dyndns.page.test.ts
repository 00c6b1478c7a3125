// The DynDNS page in Debian's Chromium against the real stack and a local deSEC: set up, update,
// see the history picture, and see a refusal stop the updates in plain words.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { startDesecServer } from "./servers/desec.ts";
import { text } from "./servers/local-server.ts";
import { startLookupServer } from "./servers/lookup.ts";
import { launchChromium, signedInContext } from "../support/browser.ts";

const results = join(root, "test-results");

let stack: { url: string; admin?: { cookie: string }; stop(): Promise<void> };
let browser: Browser;
let lookup: Awaited<ReturnType<typeof startLookupServer>>;
let desec: Awaited<ReturnType<typeof startDesecServer>>;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  [lookup, desec] = await Promise.all([startLookupServer("203.0.113.7"), startDesecServer("box.dedyn.io", "desec-token")]);
  const seam = { servers: { lookup: lookup.origin, desec: desec.origin }, ifInet6: join(root, "functions/dyndns/fixtures/if_inet6-home.txt") };
  stack = await startStack({ port: await freePort(), env: { CARETAKER_DYNDNS_TEST: JSON.stringify(seam) }, setUp: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await Promise.all([lookup?.close(), desec?.close()]);
});

function watchProblems(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`));
  return problems;
}

/** The page as a signed-in owner sees it (the session cookie of the stack's setup, when there is one). */
async function openPage() {
  const context = await signedInContext(browser, stack, { viewport: { width: 1100, height: 1400 }, locale: "en-US" });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${stack.url}/#/dyndns`);
  await page.getByTestId("dyndns-state").waitFor();
  return { page, problems };
}

async function settle(page: Page) {
  await page.locator("button:enabled", { hasText: "Check now" }).waitFor({ timeout: 20_000 });
}

test("set up, update, history picture, and a refusal shown in plain words", async () => {
  const { page, problems } = await openPage();
  await expect(page.getByTestId("dyndns-state").textContent()).resolves.toBe("Not set up");
  await expect(page.locator("nav a[aria-current=page]").textContent()).resolves.toBe("DynDNS");

  const form = page.getByTestId("dyndns-settings");
  await form.getByLabel("Provider").selectOption("desec");
  await form.getByLabel("Name", { exact: true }).fill("box.dedyn.io");
  await form.getByLabel("Token", { exact: true }).fill("desec-token");
  await form.getByRole("button", { name: "Save and update" }).click();
  await page.getByTestId("dyndns-state").filter({ hasText: "Up to date" }).waitFor({ timeout: 20_000 });
  await settle(page);
  await expect(page.getByTestId("dyndns-ipv4").textContent()).resolves.toBe("203.0.113.7");
  await expect(page.getByTestId("dyndns-ipv6").textContent()).resolves.toBe("2a01:4b8:abcd:12:211:22ff:fe33:4455");
  await expect(page.getByTestId("dyndns-next-run").textContent()).resolves.toContain("dev mode");
  expect(desec.records.A).toBe("203.0.113.7");

  // a new address, a provider in maintenance, then the new address again: three bars in the picture
  lookup.address.current = "203.0.113.8";
  desec.force(text(503, "maintenance"));
  await page.getByRole("button", { name: "Check now" }).click();
  await page.getByTestId("dyndns-state").filter({ hasText: "Retrying" }).waitFor({ timeout: 20_000 });
  await settle(page);
  await expect(page.getByTestId("dyndns-error").textContent()).resolves.toContain("the provider has a problem on its side (HTTP 503");

  const rows = page.getByTestId("dyndns-history").locator("tbody tr");
  await expect(rows.count()).resolves.toBe(2);
  const bars = page.getByTestId("dyndns-history-picture").locator("rect");
  await expect(bars.evaluateAll((rects) => rects.map((rect) => rect.getAttribute("data-outcome")))).resolves.toEqual(["updated", "retry"]);
  await expect(page.getByTestId("dyndns-history-picture").getAttribute("aria-label")).resolves.toBe("Last 2 attempts, oldest first: 1 updated, 1 retry");

  // a wrong token: deSEC answers 401, and the page says updates stopped
  await form.getByLabel("Token", { exact: true }).fill("not-the-token");
  await form.getByRole("button", { name: "Save and update" }).click();
  await page.getByTestId("dyndns-state").filter({ hasText: "Stopped" }).waitFor({ timeout: 20_000 });
  await settle(page);
  await expect(page.getByTestId("dyndns-error").textContent()).resolves.toContain("the user name or password was refused");
  await expect(bars.count()).resolves.toBe(3);

  await page.screenshot({ path: join(results, "dyndns-page.png"), fullPage: true });
  expect(problems).toEqual([]);
  await page.context().close();
});

test("fits a phone screen", async () => {
  const context = await signedInContext(browser, stack, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${stack.url}/#/dyndns`);
  await page.getByTestId("dyndns-state").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(results, "dyndns-page-phone.png"), fullPage: true });
  await context.close();
});
