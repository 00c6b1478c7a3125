// Process entry of every function bundle: serve the one connection systemd handed over, then exit.
import type { CaretakerFunction } from "./define.ts";
import { serveConnection } from "./http/serve-connection.ts";

const listenFd = 3;

export async function run(fn: CaretakerFunction): Promise<never> {
  if (process.env.LISTEN_FDS !== "1") {
    console.error(`caretaker-${fn.name}: start me through my socket unit (LISTEN_FDS=1 expected)`);
    process.exit(2);
  }
  const headerTimeoutMs = Number(process.env.CARETAKER_HEADER_TIMEOUT_MS) || undefined;
  try {
    await serveConnection(listenFd, fn.fetch, { headerTimeoutMs });
  } catch (error) {
    console.error(error);
  }
  process.exit(0);
}
