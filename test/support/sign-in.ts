// Signs a Chromium page in through the login screen, as the owner does.
import type { Page } from "playwright-core";

export async function signIn(page: Page, url: string, password: string, path = "#/system"): Promise<void> {
  await page.goto(`${url}/${path}`);
  await page.getByLabel("Password").fill(password);
  const login = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  const answer = await login;
  if (answer.status() !== 200) throw new Error(`login answered ${answer.status()}: ${await answer.text()}`);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}
