// First-boot job (caretaker-setup-code.service, root): creates the Ed25519 signing key pair and the
// one-time setup code when they do not exist yet, and shows the code on the console and in the journal.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateSigningKeys } from "../../_shared/credential.ts";
import { publicPath, writeFileAtomic } from "../../_shared/public-state.ts";
import { newSetupCode } from "../setup-code.ts";

export default async function main(): Promise<void> {
  const credstore = process.env.CARETAKER_CREDSTORE ?? "/etc/credstore";
  const privateKey = join(credstore, "caretaker-signing-key");
  const setupCode = join(credstore, "caretaker-setup-code");
  if (!existsSync(privateKey) || !existsSync(publicPath("signingKey"))) {
    const keys = await generateSigningKeys();
    // private first: a public key without its private half would make every credential unverifiable
    writeFileAtomic(privateKey, keys.privatePem, 0o600);
    writeFileAtomic(publicPath("signingKey"), keys.publicPem, 0o644);
    console.log("caretaker: created the signing key pair");
  }
  if (!existsSync(setupCode)) writeFileAtomic(setupCode, `${newSetupCode()}\n`, 0o600);
  const code = readFileSync(setupCode, "utf8").trim();
  console.log(`caretaker setup code: ${code}  (open https://<this box>/ and enter it to set the admin password)`);
}
