// The state every function may read and only setup and auth may write (/var/lib/caretaker/public,
// group caretaker-public): the setup marker, the signing public key, revocations and the box's name.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Dev mode points this at its run folder; on the box it is fixed by tmpfiles. */
export function publicStateDirectory(): string {
  return process.env.CARETAKER_PUBLIC_STATE ?? "/var/lib/caretaker/public";
}

export const publicFiles = {
  /** written by setup, last, once the admin and the box's name are stored */
  setupComplete: "setup-complete",
  /** Ed25519 public key (SPKI PEM) written by the first-boot job; not secret */
  signingKey: "signing.pub",
  /** revoked token and session ids until they expire, written by auth */
  revoked: "revoked.json",
  /** the box's name and TLS mode, written by setup, applied by the domain function */
  box: "box.json",
} as const;

export function publicPath(file: keyof typeof publicFiles): string {
  return join(publicStateDirectory(), publicFiles[file]);
}

export function isSetupComplete(): boolean {
  return existsSync(publicPath("setupComplete"));
}

/** Reads a public JSON file; `fallback` when it does not exist yet. */
export function readPublicJson<T>(file: keyof typeof publicFiles, fallback: T): T {
  try {
    return JSON.parse(readFileSync(publicPath(file), "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  }
}

/** Replaces a file whole (write, chmod, rename): readers see the old or the new text, never half. */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, text, { mode });
  // the units' UMask=0077 masks the mode given to open(): set it explicitly
  chmodSync(partial, mode);
  renameSync(partial, path);
}

/** Public files are readable by every function (0644); their folder is writable by setup and auth only. */
export function writePublicFile(file: keyof typeof publicFiles, text: string): void {
  writeFileAtomic(publicPath(file), text, 0o644);
}
