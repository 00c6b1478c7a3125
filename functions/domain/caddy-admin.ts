// Caddy's admin API over its unix socket: read the running config, load a new one (Caddy validates
// it and keeps the old one if it fails). node:http works the same under Bun and Node.
import { request } from "node:http";
import { HttpError } from "../_shared/errors.ts";

export const defaultAdminSocket = "/run/caddy/admin.sock";

export interface CaddyAdmin {
  getConfig(): Promise<CaddyConfig>;
  /** POST /load: resolves when Caddy runs the new config; throws `CaddyRefused` when it kept the old one. */
  load(config: CaddyConfig): Promise<void>;
}

// Caddy's JSON config is large and open-ended; caddy-config.ts reads the few parts it changes.
export type CaddyConfig = Record<string, any>;

/** Caddy answered and refused the config; the running config is unchanged. */
export class CaddyRefused extends Error {}

// Every /load restarts the admin endpoint (even a refused one): a connection right after can miss it.
const transient = new Set(["ENOENT", "ECONNREFUSED", "ECONNRESET", "EPIPE"]);

function once(socketPath: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: "localhost" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const outgoing = request({ socketPath, path, method, headers, agent: false, timeout: 30_000 }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      response.on("error", reject);
    });
    outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

async function call(socketPath: string, method: string, path: string, body?: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(socketPath, method, path, body);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      // a POST may have reached Caddy before the reset: only reads are retried
      if (transient.has(code) && (method === "GET" || code !== "ECONNRESET") && attempt < 40) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      throw new HttpError(502, `Caddy's admin API at ${socketPath} did not answer (${code || (error as Error).message})`, { code: "caddy_unreachable" });
    }
  }
}

function caddyMessage(text: string): string {
  try {
    return String(JSON.parse(text).error ?? text).slice(0, 600);
  } catch {
    return text.trim().slice(0, 600);
  }
}

export function caddyAdmin(socketPath = process.env.CARETAKER_CADDY_ADMIN || defaultAdminSocket): CaddyAdmin {
  return {
    async getConfig() {
      const { status, text } = await call(socketPath, "GET", "/config/");
      if (status !== 200) throw new HttpError(502, `Caddy's admin API answered ${status} to GET /config/: ${caddyMessage(text)}`, { code: "caddy_error" });
      return (JSON.parse(text) ?? {}) as CaddyConfig;
    },
    async load(config) {
      const { status, text } = await call(socketPath, "POST", "/load", JSON.stringify(config));
      if (status === 200) return;
      throw new CaddyRefused(`Caddy refused the new configuration (${status}): ${caddyMessage(text)}`);
    },
  };
}
