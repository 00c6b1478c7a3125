// Password hashing with argon2id (Bun.password, native): called only inside Bun, never at import time.

/** OWASP's argon2id baseline (19 MiB, 2 passes): affordable for one process on a 1 GB Pi. */
const argon2id = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, argon2id);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return Bun.password.verify(password, hash);
}
