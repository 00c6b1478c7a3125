// The baseline: the same `system` handler in a warm, long-running Bun.serve on a unix socket.
import system from "../../functions/system/index.ts";

const server = Bun.serve({ unix: process.argv[2]!, fetch: system.fetch });
console.error(`warm baseline listening on ${server.url}`);
