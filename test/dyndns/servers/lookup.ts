// A "what is my IP" service like ipv4.icanhazip.com: GET / answers the caller's public address as text.
import { startLocalServer, text, type LocalServer } from "./local-server.ts";

export async function startLookupServer(initial: string): Promise<LocalServer & { address: { current: string } }> {
  const address = { current: initial };
  const server = await startLocalServer(() => text(200, `${address.current}\n`));
  return Object.assign(server, { address });
}
