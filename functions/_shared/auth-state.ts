// The admin record setup writes and auth keeps: in the StateDirectory the two units share
// (caretaker-auth, user caretaker-auth), unreadable by every other function.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpError } from "./errors.ts";
import { writeFileAtomic } from "./public-state.ts";

export interface AdminRecord {
  passwordHash: string;
  passwordChangedAt: string;
  /** the confirmed second factor (base32 secret) and the last time step it accepted (no replay) */
  totp?: { secret: string; lastStep: number };
  /** a secret waiting for its first code (POST /totp/confirm) */
  pendingTotp?: string;
}

export interface BoxRecord {
  /** an IP address, a .local name or a public domain */
  name: string;
  tls: "internal" | "acme";
  /** the contact address Let's Encrypt asks for (acme only) */
  email?: string;
}

export function authStateDirectory(): string {
  const directory = process.env.STATE_DIRECTORY;
  if (!directory) throw new HttpError(503, "this unit has no StateDirectory=", { code: "state_missing" });
  return directory.split(":")[0];
}

export const authPath = (file: string) => join(authStateDirectory(), file);

export function readState<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(authPath(file), "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  }
}

/** Private state is 0600: only the unit's own user reads it. */
export function writeState(file: string, value: unknown): void {
  writeFileAtomic(authPath(file), `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

export function readAdmin(): AdminRecord | undefined {
  return readState<AdminRecord | undefined>("admin.json", undefined);
}

/**
 * Runs `change` while holding a lock file (O_EXCL), so two requests (two processes) that both
 * read-modify-write the same state cannot lose each other's change. A lock older than 10 s is stale.
 */
export async function withStateLock<T>(change: () => T | Promise<T>): Promise<T> {
  const lock = authPath("state.lock");
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new HttpError(503, "the credential store is busy; try again", { code: "busy" });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  try {
    return await change();
  } finally {
    rmSync(lock, { force: true });
  }
}

export function ensureStateDirectory(): void {
  mkdirSync(authStateDirectory(), { recursive: true, mode: 0o700 });
}
