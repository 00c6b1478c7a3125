// For tests that call a function's fetch() in-process (no stack): a set-up public state in a temp
// folder (CARETAKER_PUBLIC_STATE) and a full-scope token signed with its freshly made key.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSigningKeys, importPrivateKey, newCredentialId, signCredential } from "../../functions/_shared/credential.ts";

/** Points this process's runtime at a set-up box; returns the Authorization header of a full-scope token. */
export async function setUpInProcess(): Promise<{ authorization: string }> {
  const dir = mkdtempSync(join(tmpdir(), "caretaker-public-"));
  const keys = await generateSigningKeys();
  writeFileSync(join(dir, "signing.pub"), keys.publicPem);
  writeFileSync(join(dir, "setup-complete"), "");
  process.env.CARETAKER_PUBLIC_STATE = dir;
  const now = Math.floor(Date.now() / 1000);
  const token = await signCredential(
    { kind: "token", id: newCredentialId(), name: "in-process test", iat: now, exp: now + 600, scope: { functions: ["*"], write: true } },
    await importPrivateKey(keys.privatePem),
  );
  return { authorization: `Bearer ${token}` };
}
