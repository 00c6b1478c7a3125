// Login throttling per source (X-Forwarded-For, set by Caddy, the only client of the socket) and
// overall: a few free tries, then each try must wait twice as long as the last (up to 15 minutes).
// Every process appends its try to one log before checking (O_APPEND), so parallel tries see each other.
import { appendFileSync, readFileSync, statSync } from "node:fs";
import { HttpError } from "../_shared/errors.ts";
import { authPath, withStateLock } from "../_shared/auth-state.ts";
import { writeFileAtomic } from "../_shared/public-state.ts";

export interface Attempt {
  id: string;
  /** milliseconds since the epoch */
  t: number;
  src: string;
  /** try: a password check began; ok: it succeeded (resets the count); x: the try was refused unchecked */
  r: "try" | "ok" | "x";
}

export const policy = {
  perSource: { free: 3, windowMs: 24 * 3600_000 },
  overall: { free: 20, windowMs: 3600_000 },
  maxDelaySeconds: 900,
};

/** Seconds the n-th counted try (0-based) must wait after the one before it. */
export function delaySeconds(n: number, free: number): number {
  return n < free ? 0 : Math.min(2 ** (n - free), policy.maxDelaySeconds);
}

/** Seconds this try must still wait, or 0: judged on the log as it stands, this try included. */
export function waitFor(log: Attempt[], mine: Attempt): number {
  const refused = new Set(log.filter((entry) => entry.r === "x").map((entry) => entry.id));
  const upToMine = log.slice(0, log.findIndex((entry) => entry.id === mine.id && entry.r === "try"));
  const wait = (entries: Attempt[], free: number, windowMs: number) => {
    const lastOk = entries.map((entry) => entry.r).lastIndexOf("ok");
    const counted = entries.slice(lastOk + 1).filter((entry) => entry.r === "try" && !refused.has(entry.id) && mine.t - entry.t < windowMs);
    if (counted.length === 0) return 0;
    const due = counted.at(-1)!.t + delaySeconds(counted.length, free) * 1000;
    return Math.max(0, Math.ceil((due - mine.t) / 1000));
  };
  return Math.max(
    wait(upToMine.filter((entry) => entry.src === mine.src), policy.perSource.free, policy.perSource.windowMs),
    wait(upToMine, policy.overall.free, policy.overall.windowMs),
  );
}

const logFile = () => authPath("login-attempts.log");

function readLog(): Attempt[] {
  let text = "";
  try {
    text = readFileSync(logFile(), "utf8");
  } catch {}
  return text.split("\n").filter(Boolean).flatMap((line) => {
    try {
      return [JSON.parse(line) as Attempt];
    } catch {
      return [];
    }
  });
}

const append = (entry: Attempt) => appendFileSync(logFile(), `${JSON.stringify(entry)}\n`, { mode: 0o600 });

/** Records a try and refuses it with 429 + Retry-After when it comes too soon; returns the try's id. */
export function beginAttempt(source: string): string {
  const mine: Attempt = { id: crypto.randomUUID(), t: Date.now(), src: source.slice(0, 64), r: "try" };
  append(mine);
  const seconds = waitFor(readLog(), mine);
  if (seconds > 0) {
    append({ ...mine, r: "x" });
    throw new HttpError(429, `too many failed logins: try again in ${seconds} s`, { headers: { "retry-after": String(seconds) } });
  }
  return mine.id;
}

/** A successful login resets the counts, and the log is trimmed to the last day while it is quiet. */
export async function succeeded(id: string, source: string): Promise<void> {
  append({ id, t: Date.now(), src: source.slice(0, 64), r: "ok" });
  if (statSync(logFile()).size < 256 * 1024) return;
  await withStateLock(() => {
    const since = Date.now() - policy.perSource.windowMs;
    const kept = readLog().filter((entry) => entry.t >= since).slice(-2000);
    // a try appended during this rewrite may be lost: it only makes the next wait shorter
    writeFileAtomic(logFile(), kept.map((entry) => `${JSON.stringify(entry)}\n`).join(""), 0o600);
  });
}
