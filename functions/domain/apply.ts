// Changes the box's name or TLS mode as one step that either completes or leaves the running
// config as it was: our precheck, Caddy's own validation on /load, a read-back, and the certificate
// actually issued; any failure after the load puts the previous config back.
import { isDeepStrictEqual } from "node:util";
import { HttpError } from "../_shared/errors.ts";
import { CaddyRefused, type CaddyConfig } from "./caddy-admin.ts";
import { httpsServerName, precheck, withSettings } from "./caddy-config.ts";
import { pickCertificate } from "./renewal.ts";
import type { Settings } from "./schema.ts";
import type { DomainSources } from "./sources.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForCertificate(sources: DomainSources, settings: Settings): Promise<boolean> {
  const deadline = Date.now() + sources.issueTimeoutMs;
  do {
    const found = pickCertificate(await sources.readCertificates(), settings.name, settings.tls);
    if (found && Date.parse(found.notAfter) > sources.now().getTime()) return true;
    await sleep(250);
  } while (Date.now() < deadline);
  return false;
}

async function restore(sources: DomainSources, previous: CaddyConfig, why: string): Promise<never> {
  let back = false;
  try {
    await sources.admin.load(previous);
    back = isDeepStrictEqual(await sources.admin.getConfig(), previous);
  } catch (error) {
    console.error(`restoring Caddy's previous configuration failed: ${(error as Error).message}`);
  }
  throw new HttpError(502, `${why}; ${back ? "the previous configuration is back in place" : "restoring the previous configuration did not read back: see Caddy's journal"}`, {
    code: "change_failed",
  });
}

export async function applySettings(settings: Settings, sources: DomainSources): Promise<void> {
  const running = await sources.admin.getConfig();
  if (!httpsServerName(running)) throw new HttpError(409, "Caddy serves no HTTPS site here (dev mode serves plain HTTP): there is no name to change", { code: "no_https_site" });
  const next = withSettings(running, settings, sources.acme);
  const problems = precheck(running, next, settings);
  if (problems.length > 0) throw new HttpError(409, `the running Caddy configuration cannot be changed safely: ${problems.join("; ")}`, { code: "unsafe_change" });
  if (isDeepStrictEqual(running, next)) return;
  try {
    await sources.admin.load(next);
  } catch (error) {
    if (error instanceof CaddyRefused) throw new HttpError(502, `${error.message}; the previous configuration stays in place`, { code: "caddy_refused" });
    throw error;
  }
  if (!isDeepStrictEqual(await sources.admin.getConfig(), next)) await restore(sources, running, "Caddy's running configuration did not read back as loaded");
  const issuer = settings.tls === "acme" ? "the ACME CA" : "Caddy's internal CA";
  if (!(await waitForCertificate(sources, settings))) {
    await restore(sources, running, `${issuer} issued no certificate for ${settings.name} within ${Math.round(sources.issueTimeoutMs / 1000)} s (DNS not pointing here yet, ports 80/443 unreachable, or the CA unreachable; Caddy's journal says which)`);
  }
}
