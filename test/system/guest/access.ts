// What the guest programs do at the door: HTTPS requests through Caddy with curl, first-boot setup
// with the code from the credential store, login and a full-scope token for the generic checks.
import { readFileSync } from "node:fs";
import { run, runAsync } from "./systemctl.ts";

export const origin = "https://localhost";

export interface Answer {
  status: string;
  body: string;
  setCookie: string;
  code: number;
  stderr: string;
}

/** One request through Caddy (the box's own CA, hence -k); writes carry a JSON body and our Origin. */
export function curl(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Answer {
  // the body, then the Set-Cookie header and the status on lines of their own (curl's pipes are
  // sockets under Bun: -o /dev/stdout cannot be opened, so headers come through --write-out)
  const argv = ["curl", "-sS", "-k", "--max-time", "20", "-w", "\n%header{set-cookie}\n%{http_code}", "-X", method];
  for (const [key, value] of Object.entries(options.headers ?? {})) argv.push("-H", `${key}: ${value}`);
  if (method !== "GET") argv.push("-H", `origin: ${origin}`, "-H", "content-type: application/json", "--data-binary", JSON.stringify(options.body ?? {}));
  const answer = run([...argv, `${origin}${path}`]);
  const lines = answer.stdout.split("\n");
  const status = lines.pop() ?? "";
  const setCookie = lines.pop() ?? "";
  return { status, body: lines.join("\n"), setCookie, code: answer.code, stderr: answer.stderr };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A JSON API call with a token, without blocking the event loop; `json` is null when the body is not JSON. */
export async function apiJson(token: string, method: string, path: string, body?: unknown, maxSeconds = 30): Promise<{ status: number; json: any }> {
  const argv = ["curl", "-sS", "-k", "--max-time", String(maxSeconds), "-X", method, "-w", "\n%{http_code}", "-H", `authorization: Bearer ${token}`];
  if (body !== undefined) argv.push("-H", `origin: ${origin}`, "-H", "content-type: application/json", "--data-binary", JSON.stringify(body));
  const lines = (await runAsync([...argv, `${origin}${path}`])).stdout.split("\n");
  const status = Number(lines.pop());
  let json: any = null;
  try {
    json = JSON.parse(lines.join("\n"));
  } catch {}
  return { status, json };
}

export function sessionCookie(answer: Answer): string {
  return /^(caretaker_session=[^;]+)/.exec(answer.setCookie)?.[1] ?? "";
}

/** Completes first-boot setup as the owner would, signs in and mints a full-scope token. */
export function setUpBox(): { password: string; token: string; setup: Answer; login: Answer; created: Answer } {
  const code = readFileSync("/etc/credstore/caretaker-setup-code", "utf8").trim();
  const password = `guest-${crypto.randomUUID()}`;
  const setup = curl("POST", "/api/setup/complete", { body: { code, password, box: { name: "127.0.0.1", tls: "internal" } } });
  const login = curl("POST", "/api/auth/login", { body: { password } });
  const created = curl("POST", "/api/auth/tokens", { body: { name: "guest-checks", expiresInDays: 1, scope: { functions: ["*"], write: true } }, headers: { cookie: sessionCookie(login) } });
  let token = "";
  try {
    token = JSON.parse(created.body).token ?? "";
  } catch {}
  return { password, token, setup, login, created };
}

export interface Operation {
  method: string;
  path: string;
  isPublic: boolean;
  phase: string;
  /** a required query parameter: no generic request can be made */
  needsQuery: boolean;
}

/** Every operation of the installed API description, with path parameters filled in. */
export function operations(): Operation[] {
  const openapi = JSON.parse(readFileSync("/usr/share/caretaker/public/openapi.json", "utf8")) as {
    paths: Record<string, Record<string, { security?: unknown[]; "x-caretaker-phase"?: string; parameters?: { in: string; required?: boolean }[] }>>;
  };
  return Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{[^}]+\}/g, "x"),
      isPublic: Array.isArray(operation.security) && operation.security.length === 0,
      phase: operation["x-caretaker-phase"] ?? "ready",
      needsQuery: (operation.parameters ?? []).some((parameter) => parameter.in === "query" && parameter.required === true),
    })),
  );
}
