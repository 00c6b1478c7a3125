// The door in Debian's Chromium against the real stack: the first-boot wizard, sign-in with and
// without the second factor, and API tokens made on the page and used from a script.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { fromBase32 } from "../../functions/_shared/base64url.ts";
import { totpAt } from "../../functions/_shared/totp.ts";
import { freePort } from "../support/processes.mjs";
import { launchChromium } from "../support/browser.ts";

const results = join(root, "test-results");
const password = "correct horse battery staple";

let stack: { url: string; setupCode: string; stop(): Promise<void> };
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(join(root, "build/public/index.html"))) execFileSync(process.execPath, [join(root, "functions/_build/build.mjs")], { stdio: "inherit" });
  mkdirSync(results, { recursive: true });
  stack = await startStack({ port: await freePort() });
  browser = await launchChromium();
  context = await browser.newContext({ locale: "en-US", viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.url });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the door, in order", () => {
  test("the first-boot wizard takes the setup code, the password and the name, and signs in", async () => {
    const page = await context.newPage();
    await page.goto(`${stack.url}/`);
    await page.getByRole("heading", { name: "Set up this box" }).waitFor();
    await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC-DDDD");
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("setup code is not right");
    await page.getByLabel("Setup code").fill(stack.setupCode.toLowerCase());
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Admin password").fill(password);
    await page.getByLabel("The same password again").fill(password);
    await expect(page.getByLabel("The box's name").inputValue()).resolves.toBe("127.0.0.1");
    await page.screenshot({ path: join(results, "setup-wizard.png"), fullPage: true });
    await page.getByRole("button", { name: "Finish setup" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.getByTestId("hostname").waitFor();
    await page.close();
  });

  test("tokens: created with a scope, shown once and copied, used by a script, revoked", async () => {
    const page = await context.newPage();
    await page.goto(`${stack.url}/#/auth`);
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.getByLabel("Name").fill("overview-script");
    await page.getByLabel("All functions").uncheck();
    await page.getByLabel("system", { exact: true }).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent())!;
    expect(token).toMatch(/^ct1\./);
    await page.getByRole("button", { name: "Copy" }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(token);
    await page.screenshot({ path: join(results, "access-page.png"), fullPage: true });

    const script = (path: string, init: RequestInit = {}) => fetch(`${stack.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    expect((await script("/api/system/overview")).status).toBe(200);
    expect((await script("/api/auth/tokens")).status).toBe(403);
    const row = page.locator("tr", { hasText: "overview-script" });
    await expect(row.textContent()).resolves.toContain("system, read only");

    await page.reload();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    expect(await page.getByTestId("new-token").count(), "shown once").toBe(0);
    await page.getByRole("button", { name: "Revoke overview-script" }).click();
    await row.waitFor({ state: "detached" });
    expect((await script("/api/system/overview")).status).toBe(401);
    await page.close();
  });

  test("the second factor: turned on with a code, then asked for at sign-in", async () => {
    const page = await context.newPage();
    await page.goto(`${stack.url}/#/auth`);
    await page.getByRole("button", { name: "Turn on" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent())!;
    await page.getByLabel("Code from the app").fill(await totpAt(fromBase32(secret), Date.now() / 1000 - 30));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("button", { name: "Turn off" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("wrong password");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByLabel("Code from your authenticator app").fill(await totpAt(fromBase32(secret), Date.now() / 1000));
    await page.screenshot({ path: join(results, "login-second-factor.png"), fullPage: true });
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.close();
  });

  test("a lapsed session brings the login back", async () => {
    const page = await context.newPage();
    await page.goto(`${stack.url}/#/system`);
    await page.getByTestId("hostname").waitFor();
    await context.clearCookies();
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.close();
  });
});
