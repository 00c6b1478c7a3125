// The system page in Debian's Chromium against the real stack: what the owner sees is what the box reports.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { signIn } from "../support/sign-in.ts";
import { launchChromium } from "../support/browser.ts";

const results = join(root, "test-results");
let stack: { url: string; stop(): Promise<void>; admin?: { password: string } };
let browser: Browser;

beforeAll(async () => {
  // the suite's global setup builds; this keeps the file runnable on its own
  if (!existsSync(join(root, "build/public/index.html"))) {
    execFileSync(process.execPath, [join(root, "functions/_build/build.mjs")], { stdio: "inherit" });
  }
  mkdirSync(results, { recursive: true });
  stack = await startStack({ port: await freePort(), setUp: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Everything that went wrong in the browser: console errors, script errors, failed or 4xx/5xx requests. */
function watchProblems(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

async function openSystemPage(page: Page) {
  const overviewResponse = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/system/overview");
  await signIn(page, stack.url, stack.admin!.password, "");
  const overview = await (await overviewResponse).json();
  await page.getByTestId("hostname").waitFor();
  return overview;
}

const percentText = (percent: number) => `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(percent)}%`;

describe("system page", () => {
  test("shows this machine's overview with no errors in the browser", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: "en-US" });
    const problems = watchProblems(page);
    const overview = await openSystemPage(page);

    expect(page.url()).toMatch(/#\/system$/);
    await expect(page.getByTestId("hostname").textContent()).resolves.toBe(hostname());
    await expect(page.getByTestId("box-name").textContent()).resolves.toBe(hostname());
    await expect(page.title()).resolves.toBe(`System · ${hostname()} · caretaker`);
    await expect(page.locator("nav a[aria-current=page]").textContent()).resolves.toBe("System");

    const rootFilesystem = overview.filesystems.find((filesystem: { role: string }) => filesystem.role === "root");
    expect(rootFilesystem, "the API reports a root filesystem").toBeDefined();
    const rootItem = page.locator("li.filesystem[data-role=root]");
    await expect(rootItem.locator(".mountpoint").textContent()).resolves.toBe(rootFilesystem.mountpoint);
    const rootMeter = rootItem.getByRole("meter");
    await expect(rootMeter.getAttribute("aria-valuenow")).resolves.toBe(String(rootFilesystem.usedPercent));
    await expect(rootMeter.getAttribute("aria-valuemax")).resolves.toBe("100");
    await expect(rootItem.getByTestId("filesystem-percent").textContent()).resolves.toBe(percentText(rootFilesystem.usedPercent));
    const fillWidth = await rootMeter.locator(".usage-fill").evaluate((fill) => fill.style.width);
    expect(Number.parseFloat(fillWidth)).toBeCloseTo(Math.min(100, rootFilesystem.usedPercent), 5);

    await expect(page.getByRole("meter", { name: "Memory in use" }).count()).resolves.toBe(1);
    await expect(page.getByTestId("temperature").count()).resolves.toBe(overview.temperature ? 1 : 0);

    // this host's PID 1 is not systemd
    expect(overview.systemd.available).toBe(false);
    const note = page.getByTestId("systemd-unavailable");
    await expect(note.textContent()).resolves.toBe(`systemd not available: ${overview.systemd.reason}`);

    const refreshed = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/system/overview");
    await page.getByRole("button", { name: "Refresh" }).click();
    expect((await refreshed).status()).toBe(200);
    await page.locator("button:enabled", { hasText: "Refresh" }).waitFor();

    await page.screenshot({ path: join(results, "system-page.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test("fits a phone screen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "en-US", isMobile: true, hasTouch: true });
    const problems = watchProblems(page);
    await openSystemPage(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(results, "system-page-phone.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test("shows the API's error message when the overview fails", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    const message = "the function did not answer; see its journal";
    // the one fake: a real HTTP error in the API's own error format, as Caddy sends when a function is down
    await page.route("**/api/system/overview", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message } }) }),
    );
    await signIn(page, stack.url, stack.admin!.password);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(message);
    await expect(alert.textContent()).resolves.toContain("503 unavailable");
    await expect(page.getByTestId("hostname").count()).resolves.toBe(0);
    await page.close();
  });

  test("the API module turns a real error body into an ApiError", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/`);
    // a string, so vitest's transform leaves this import() alone: it must run in the page
    const caught = await page.evaluate(`(async () => {
      const { getJson, ApiError } = await import(new URL("./api.js", location.href).href);
      try {
        await getJson("no-such-function/anything");
        return null;
      } catch (error) {
        return { isApiError: error instanceof ApiError, status: error.status, code: error.code, message: error.message };
      }
    })()`);
    expect(caught).toEqual({ isApiError: true, status: 404, code: "not_found", message: "no such function" });
    await page.close();
  });

  test("an unknown page says so and links back to the overview", async () => {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await signIn(page, stack.url, stack.admin!.password, "#/no-such-page");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    await page.getByRole("link", { name: "Go to the system overview." }).click();
    await page.getByTestId("hostname").waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});
