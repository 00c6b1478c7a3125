// Debian's Chromium for the page tests, headless and kept off the network this machine does not have.
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";

const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args });
}

/** A browser context signed in as the stack's admin (its session cookie), as after the login page. */
export async function signedInContext(browser: Browser, stack: { url: string; admin?: { cookie: string } }, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const cookie = stack.admin?.cookie;
  if (!cookie) throw new Error("the stack has no signed-in admin: start it with setUp: true");
  await context.addCookies([{ name: cookie.slice(0, cookie.indexOf("=")), value: cookie.slice(cookie.indexOf("=") + 1), url: stack.url }]);
  return context;
}
