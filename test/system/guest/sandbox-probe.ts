// Reports what a process can do from inside a function unit's sandbox, as one JSON line on stdout.
// `sandbox-probe sandbox <dir>...`: the checker starts it as the unit's ExecStart (drop-in), with
// the unit's exact sandbox. `sandbox-probe connect <socket>`: one connection attempt to a unix socket.
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

type Outcome = string; // "ok" or the error code (EROFS, EACCES, ...)

function tryWrite(dir: string): Outcome {
  const file = join(dir, `caretaker-probe-${process.pid}`);
  try {
    writeFileSync(file, "written from inside a function sandbox\n");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
  try {
    unlinkSync(file);
  } catch {}
  return "ok";
}

function tryConnect(options: { host: string; port: number } | { path: string }): Promise<Outcome> {
  return new Promise((resolve) => {
    let socket: ReturnType<typeof connect>;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("ETIMEDOUT");
    }, 2000);
    try {
      socket = connect(options as never);
    } catch (error) {
      clearTimeout(timer);
      resolve((error as NodeJS.ErrnoException).code ?? String(error));
      return;
    }
    socket.on("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve("ok");
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? String(error));
    });
  });
}

/** Whether socket(AF_INET or AF_INET6) succeeds: a UDP socket needs no peer, so only the sandbox can refuse it. */
async function tryUdp(hostname: string): Promise<Outcome> {
  try {
    const socket = await Bun.udpSocket({ hostname, port: 0 });
    socket.close();
    return "ok";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/** Whether this network namespace holds the guest's listener on port 443 (Caddy): then it is not private. */
function seesPort443(): boolean {
  for (const table of ["/proc/self/net/tcp", "/proc/self/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 3 && fields[1].endsWith(":01BB") && fields[3] === "0A") return true;
    }
  }
  return false;
}

function capabilities(): Record<string, string> {
  const status = readFileSync("/proc/self/status", "utf8");
  const sets: Record<string, string> = {};
  for (const name of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) {
    sets[name] = new RegExp(`^${name}:\\s*([0-9a-f]+)$`, "m").exec(status)?.[1] ?? "unreadable";
  }
  return sets;
}

function otherProcesses(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

const [mode, ...targets] = process.argv.slice(2);
if (mode === "connect") {
  console.log(JSON.stringify({ connect: await tryConnect({ path: targets[0] }) }));
} else if (mode === "sandbox") {
  const writes: Record<string, Outcome> = {};
  for (const dir of targets) writes[dir] = tryWrite(dir);
  console.log(
    JSON.stringify({
      uid: process.getuid?.(),
      writes,
      tcp4: await tryConnect({ host: "127.0.0.1", port: 443 }),
      tcp6: await tryConnect({ host: "::1", port: 443 }),
      udp4: await tryUdp("127.0.0.1"),
      udp6: await tryUdp("::1"),
      seesPort443: seesPort443(),
      capabilities: capabilities(),
      otherProcesses: otherProcesses(),
    }),
  );
} else {
  console.error("usage: sandbox-probe sandbox <dir>... | sandbox-probe connect <socket>");
  process.exit(2);
}
