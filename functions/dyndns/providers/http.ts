// What every provider needs from HTTP: a timeout, caretaker's user agent, the reply as text, and
// the one test seam (a local origin in place of the provider's, so tests reach local servers).

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

export type Http = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<Reply>;

/** Dyn asks clients to identify as "company - device - version"; badagent answers a missing one. */
export const userAgent = "caretaker - dyndns - 0.1.0";

/**
 * `origin` (only ever set by tests, through CARETAKER_DYNDNS_TEST) replaces scheme, host and port
 * of every URL; path, query, method, headers and body stay exactly what the provider would get.
 */
export function createHttp(origin?: string, timeoutMs = 15_000): Http {
  return async (url, init = {}) => {
    const target = new URL(url);
    if (origin) {
      const local = new URL(origin);
      target.protocol = local.protocol;
      target.host = local.host;
    }
    const response = await fetch(target, {
      method: init.method ?? "GET",
      headers: { "user-agent": userAgent, ...init.headers },
      body: init.body,
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** Retry-After in seconds (delta form; a date form is turned into seconds from now). */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - now) / 1000));
}
