// Helpers of the access tests: raw requests through Caddy or straight to a function's socket, and
// credentials minted with the dev stack's own key (to prove expiry, not just the signature).
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { type CredentialPayload, importPrivateKey, signCredential } from "../../functions/_shared/credential.ts";

export interface Stack {
  url: string;
  run: string;
  credstore: string;
  publicState: string;
  setupCode: string;
  admin?: { password: string; cookie: string; token: string };
  api(path: string, init?: RequestInit & { anonymous?: boolean }): Promise<Response>;
  stop(): Promise<void>;
}

export async function errorCode(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return JSON.parse(text).error.code;
  } catch {
    return `not an error body: ${text.slice(0, 200)}`;
  }
}

/** A request as a browser would send it with the session cookie (and its own Origin on writes). */
export function withCookie(stack: Stack, path: string, cookie: string, init: { method?: string; body?: unknown; origin?: string } = {}) {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { cookie };
  if (method !== "GET") headers.origin = init.origin ?? stack.url;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${stack.url}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

/** One request straight to a function's unix socket, past Caddy: what the runtime alone decides. */
export function toSocket(stack: Stack, fn: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ socketPath: join(stack.run, `${fn}.sock`), path, method: init.method ?? "GET", headers: { host: new URL(stack.url).host, ...init.headers } }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

export function decodeCredential(text: string): CredentialPayload {
  return JSON.parse(Buffer.from(text.split(".")[1], "base64url").toString("utf8"));
}

/** Signs a payload with the stack's real private key. */
export async function mint(stack: Stack, payload: CredentialPayload): Promise<string> {
  const key = await importPrivateKey(readFileSync(join(stack.credstore, "caretaker-signing-key"), "utf8"));
  return signCredential(payload, key);
}

export const cookieValue = (setCookie: string | null) => (setCookie ?? "").split(";")[0];
export const now = () => Math.floor(Date.now() / 1000);
