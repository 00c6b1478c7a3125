// The services function on the dev stack (no systemd: it says so, keeps the allow-list, refuses what
// it must) and its page in Debian's Chromium. The unit and timer tables are also shown with the
// answers the function gave in the booted trixie guest (fixtures/, checked against the schemas here).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import * as v from "valibot";
import { afterAll, beforeAll, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { TimersSchema, UnitsSchema } from "../../functions/services/schema.ts";
import { freePort } from "../support/processes.mjs";
import { launchChromium, signedInContext } from "../support/browser.ts";

const results = join(root, "test-results");
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8"));
let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  stack = await startStack({ port: await freePort(), setUp: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test("dev mode: no systemd said plainly, the list validated and kept, refusals before systemd is asked", async () => {
  const units = await (await stack.api("/api/services/units")).json();
  expect(units).toMatchObject({ available: false, units: [] });
  expect(units.reason).toMatch(/dev mode/);
  const bad = await stack.api("/api/services/allowed", { method: "PUT", body: { units: ["nginx.service", "caddy.service"] } });
  expect(bad.status).toBe(422);
  expect((await bad.json()).error.message).toMatch(/^body\.units\.1: Caddy is the door/);
  const saved = await stack.api("/api/services/allowed", { method: "PUT", body: { units: ["nginx.service"] } });
  expect(await saved.json()).toMatchObject({ units: ["nginx.service"], policy: { applied: false } });
  const off = await stack.api("/api/services/units/apache2.service/restart", { method: "POST", body: {} });
  expect([off.status, (await off.json()).error.code]).toEqual([403, "not_allowed"]);
  const own = await stack.api("/api/services/units/caretaker-system.socket/disable", { method: "POST", body: {} });
  expect([own.status, (await own.json()).error.code]).toEqual([403, "protected_unit"]);
  const listed = await stack.api("/api/services/units/nginx.service/restart", { method: "POST", body: {} });
  expect([listed.status, (await listed.json()).error.code]).toEqual([503, "systemd_unavailable"]);
  const odd = await stack.api("/api/services/units/nginx.service/mask", { method: "POST", body: {} });
  expect(odd.status).toBe(422);
});

async function openPage(guestAnswers: boolean) {
  const context = await signedInContext(browser, stack, { viewport: { width: 1200, height: 1400 }, locale: "en-US" });
  const page = await context.newPage();
  if (guestAnswers) {
    // what the function answered under real systemd, for the two reads dev mode cannot answer
    const units = v.parse(UnitsSchema, fixture("units.json"));
    const timers = v.parse(TimersSchema, fixture("timers.json"));
    await page.route("**/api/services/units", (route) => route.fulfill({ json: units }));
    await page.route("**/api/services/timers", (route) => route.fulfill({ json: timers }));
  }
  await page.goto(`${stack.url}/#/services`);
  return page;
}

test("the page: no systemd in dev mode, the allow-list edited and saved", async () => {
  const page = await openPage(false);
  await page.getByTestId("services-unavailable").waitFor();
  const list = page.getByTestId("services-allowed");
  // the saved list (from the test above) must have arrived before editing it, or the load replaces the edit
  await page.locator("[data-testid=services-allowed] code", { hasText: "nginx.service" }).waitFor();
  await list.getByLabel("Unit").fill("dovecot.service");
  await list.getByRole("button", { name: "Add" }).click();
  // saving reloads the page's data and renews the card: edit again only once that reload is in
  const reloaded = page.waitForResponse((response) => response.url().endsWith("/api/services/allowed") && response.request().method() === "GET");
  await list.getByRole("button", { name: "Save the list" }).click();
  await reloaded;
  await page.locator("[data-testid=services-allowed] code", { hasText: "dovecot.service" }).waitFor();
  expect((await (await stack.api("/api/services/allowed")).json()).units).toEqual(["dovecot.service", "nginx.service"]);
  await list.getByLabel("Unit").fill("caretaker-auth.socket");
  await list.getByRole("button", { name: "Add" }).click();
  await list.getByRole("button", { name: "Save the list" }).click();
  await expect(page.getByTestId("services-allowed-error").textContent()).resolves.toMatch(/caretaker's own units/);
});

test("the page with the guest's answers: badges, memory and CPU, a confirmed action, timers", async () => {
  const page = await openPage(true);
  await page.getByTestId("units-caretaker").waitFor();
  const dummy = page.locator("tr[data-unit='dummy-app.service']");
  await expect(dummy.getByTestId("unit-state").textContent()).resolves.toBe("active (running)");
  await expect(page.locator("tr[data-unit='caddy.service'] td.actions").textContent()).resolves.toBe("managed by caretaker");
  await expect(page.getByTestId("timers").locator("tr[data-timer='caretaker-dyndns-update.timer'] [data-testid=timer-next]").textContent()).resolves.not.toBe("—");
  await dummy.getByTestId("restart-dummy-app.service").click();
  await dummy.getByRole("button", { name: "Yes, restart" }).waitFor();
  await page.screenshot({ path: join(results, "services-page.png"), fullPage: true });
  await dummy.getByRole("button", { name: "Yes, restart" }).click();
  // the action goes to the real function: off this dev box's list, so it is refused in words
  await expect(page.getByTestId("services-outcome").filter({ hasText: "Restart dummy-app.service:" }).textContent()).resolves.toMatch(/not on the allow-list/);
});
