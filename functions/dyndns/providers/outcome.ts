// What a provider's answer means for the box, the same for every provider: success, try again later, or stop.
import type { Provider } from "../schema.ts";

export type ProviderOutcome =
  | { kind: "updated" | "unchanged"; code: string; message: string }
  | { kind: "retry"; code: string; message: string; retryAfterSeconds?: number }
  | { kind: "stopped"; code: string; message: string };

/** One update: the addresses to publish (null: leave that record alone) and the stored secret. */
export interface UpdateRequest {
  hostname: string;
  provider: Provider;
  secret: string;
  ipv4: string | null;
  ipv6: string | null;
}

/** HTTP status classes shared by the providers whose protocol speaks through status codes. */
export function byStatus(status: number, body: string, retryAfterSeconds?: number): ProviderOutcome | undefined {
  const said = body.trim().split("\n")[0].slice(0, 200);
  const detail = said ? `: ${said}` : "";
  if (status === 401 || status === 403) return { kind: "stopped", code: `http-${status}`, message: `the provider refused the password or token (HTTP ${status}${detail})` };
  if (status === 429) return { kind: "retry", code: "http-429", message: `the provider asks to slow down (HTTP 429${detail})`, retryAfterSeconds };
  if (status >= 500) return { kind: "retry", code: `http-${status}`, message: `the provider has a problem on its side (HTTP ${status}${detail})`, retryAfterSeconds };
  if (status >= 400) return { kind: "stopped", code: `http-${status}`, message: `the provider rejected the request (HTTP ${status}${detail}); check the name and settings` };
  return undefined;
}

/** A network failure (no answer at all) is always worth another try later. */
export function networkFailure(error: unknown): ProviderOutcome {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return { kind: "retry", code: "network", message: `the provider could not be reached (${cause})` };
}

/** Several answers (one per record) become one: a stop wins, then a retry, then an update. */
export function combine(outcomes: ProviderOutcome[]): ProviderOutcome {
  for (const kind of ["stopped", "retry", "updated"] as const) {
    const found = outcomes.find((outcome) => outcome.kind === kind);
    if (found) return found;
  }
  return outcomes[0] ?? { kind: "unchanged", code: "nothing", message: "nothing to update" };
}
