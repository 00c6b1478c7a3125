// The domain page in Debian's Chromium against the real stack and a Caddy running the appliance
// Caddyfile: the owner sees the name, the certificate and its renewal, and changes the name.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../../functions/_build/build.mjs";
import { startStack } from "../../functions/_build/stack.mjs";
import { freePort } from "../support/processes.mjs";
import { signIn } from "../support/sign-in.ts";
import { applianceCaddyfile, withCaddyfile } from "./appliance-caddy.mjs";
import { presentedCertificate } from "./tls-probe.mjs";
import { launchChromium } from "../support/browser.ts";

const results = join(root, "test-results");
let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let httpsPort: number;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  const [httpPort, port] = [await freePort(), await freePort()];
  httpsPort = await freePort();
  stack = await startStack(withCaddyfile(applianceCaddyfile({ httpPort, httpsPort }), { port, setUp: true }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("domain page", () => {
  test("applies setup's name, shows the certificate, and changes the name after a confirmation", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, locale: "en-US" });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
    await signIn(page, stack.url, stack.admin!.password, "#/domain");

    await expect(page.getByTestId("domain-name").textContent()).resolves.toBe("No name set");
    await expect(page.getByTestId("renewal-state").textContent()).resolves.toBe("not managed");
    await page.getByRole("button", { name: "Apply the name chosen at setup" }).click();
    await page.getByTestId("certificate-issuer").waitFor();
    const applied = await (await stack.api("/api/domain/status")).json();
    await expect(page.getByTestId("domain-name").textContent()).resolves.toBe(applied.name);

    await page.getByLabel(/^Name/).fill("family-box.local");
    await page.getByRole("button", { name: "Review the change" }).click();
    const confirmation = page.getByTestId("confirm");
    await expect(confirmation.textContent()).resolves.toContain("Change the box's name to family-box.local");
    const saved = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/domain/settings");
    await page.getByRole("button", { name: "Change it" }).click();
    expect((await saved).status()).toBe(200);
    await page.getByTestId("change-done").waitFor();

    const status = await (await stack.api("/api/domain/status")).json();
    expect(status).toMatchObject({ name: "family-box.local", tls: "internal" });
    await expect(page.getByTestId("domain-name").textContent()).resolves.toBe("family-box.local");
    await expect(page.getByTestId("certificate-issuer").textContent()).resolves.toBe(status.certificate.issuer);
    await expect(page.getByTestId("certificate-names").textContent()).resolves.toBe("family-box.local");
    await expect(page.getByTestId("renewal-state").textContent()).resolves.toBe("scheduled");
    const meter = page.getByRole("meter", { name: "Certificate validity left" });
    await expect(meter.getAttribute("aria-valuemax")).resolves.toBe(String(status.certificate.lifetimeDays));
    // what the page says is what Caddy presents
    expect((await presentedCertificate(httpsPort, "family-box.local")).fingerprint256).toBe(status.certificate.fingerprint256);

    // a name Let's Encrypt cannot certify: the API's own words, nothing changed
    await page.getByLabel(/^Name/).fill("other-box.local");
    await page.getByLabel(/Let's Encrypt \(public domains/).check();
    await page.getByLabel("Contact address for Let's Encrypt").fill("owner@example.org");
    await page.getByRole("button", { name: "Review the change" }).click();
    await page.getByRole("button", { name: "Change it" }).click();
    const alert = page.getByTestId("change-error");
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain("body.name: Let's Encrypt");
    await expect(page.getByTestId("domain-name").textContent()).resolves.toBe("family-box.local");

    await page.screenshot({ path: join(results, "domain-page.png"), fullPage: true });
    expect(problems.filter((problem) => !problem.includes("422"))).toEqual([]);
    await page.close();
  });
});
