// Let's Encrypt's test ACME server (Debian's pebble) on loopback, with pebble-challtestsrv as its DNS
// so every name resolves to 127.0.0.1: Pebble really validates the challenge against our Caddy.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const openssl = "/usr/bin/openssl";

/** A CA and the certificate Pebble serves its directory with (for localhost), made with openssl. */
function directoryCertificate(dir) {
  const run = (args) => execFileSync(openssl, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=caretaker test ACME root", "-keyout", "root.key", "-out", "root.pem"]);
  run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost", "-keyout", "key.pem", "-out", "pebble.csr"]);
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  run(["x509", "-req", "-in", "pebble.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "cert.pem"]);
}

async function waitForDirectory(url, children) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (children.some((child) => child.exitCode !== null)) throw new Error("pebble exited at start");
    // the directory's certificate is our own test root, which Node does not know: a TCP answer is enough
    const up = await fetch(url).then(() => true, (error) => !/ECONNREFUSED/.test(String(error.cause?.code ?? error.cause ?? error)));
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("pebble did not come up");
}

/**
 * Starts Pebble validating HTTP-01 on `httpPort` and TLS-ALPN-01 on `httpsPort` of 127.0.0.1 (where
 * the test's Caddy listens). Returns the directory URL and the root its TLS certificate chains to.
 */
export async function startPebble({ httpPort, httpsPort, port, dnsPort, log = () => {} }) {
  const dir = mkdtempSync(join(tmpdir(), "pebble-"));
  directoryCertificate(dir);
  const config = join(dir, "pebble.json");
  writeFileSync(config, JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${port}`,
      managementListenAddress: "",
      certificate: join(dir, "cert.pem"),
      privateKey: join(dir, "key.pem"),
      httpPort,
      tlsPort: httpsPort,
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
    },
  }));
  const children = [];
  const start = (command, args, env = {}) => {
    const child = spawn(command, args, { env: { PATH: "/usr/bin:/bin", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", log);
    child.stderr.on("data", log);
    children.push(child);
  };
  // DNS only: every A query answers 127.0.0.1; its own challenge servers stay off
  start("/usr/bin/pebble-challtestsrv", ["-dns01", `127.0.0.1:${dnsPort}`, "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:0", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""]);
  // no sleeping between validation attempts, no random nonce rejection: a quick, deterministic test
  start("/usr/bin/pebble", ["-config", config, "-dnsserver", `127.0.0.1:${dnsPort}`], { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" });
  const directory = `https://localhost:${port}/dir`;
  await waitForDirectory(directory, children);
  /** Ends Pebble (the CA becomes unreachable) but keeps its files, which Caddy's config names. */
  async function kill() {
    await Promise.all(children.map((child) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    })));
  }
  async function stop() {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return { directory, root: join(dir, "root.pem"), kill, stop };
}
