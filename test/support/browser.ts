// Debian's Chromium for the page tests, headless and kept off the network this machine does not have.
import { type Browser, chromium } from "playwright-core";

const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args });
}
