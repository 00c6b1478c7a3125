// serveConnection(fd, handler, options): run for real, one Bun process per connection under systemd-socket-activate.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const bun = path.resolve(here, "../../../node_modules/.bin/bun");
const entry = path.join(here, "testdata/serve-entry.ts");
const headerTimeoutMs = 400;

let directory: string;
let socketPath: string;
let activator: ChildProcess;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "serve-connection-"));
  socketPath = path.join(directory, "x.sock");
  activator = spawn(
    "/usr/bin/systemd-socket-activate",
    ["--accept", "-l", socketPath, "-E", `MARKER_DIR=${directory}`, "-E", `HEADER_TIMEOUT_MS=${headerTimeoutMs}`, "-E", "MAX_BODY_BYTES=1000", bun, "--no-env-file", entry],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  for (let waited = 0; !existsSync(socketPath); waited += 20) {
    if (waited > 5000) throw new Error("systemd-socket-activate did not create its socket");
    await sleep(20);
  }
});

afterAll(() => {
  activator.kill();
  rmSync(directory, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Received {
  raw: Buffer;
  /** each data event with its arrival time, to see whether a stream really streamed */
  pieces: Array<{ at: number; data: Buffer }>;
}

/** Opens a raw connection, lets `talk` write to it, and collects everything until the server closes. */
function exchange(talk: (socket: Socket, received: Received) => Promise<void> | void): Promise<Received> {
  return new Promise((resolve, reject) => {
    const received: Received = { raw: Buffer.alloc(0), pieces: [] };
    const socket = connect(socketPath);
    socket.on("data", (data: Buffer) => {
      received.raw = Buffer.concat([received.raw, data]);
      received.pieces.push({ at: Date.now(), data });
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(received));
    socket.on("connect", () => void Promise.resolve(talk(socket, received)).catch(reject));
  });
}

function parseResponse(raw: Buffer) {
  const split = raw.indexOf("\r\n\r\n");
  const [statusLine, ...lines] = raw.subarray(0, split).toString("latin1").split("\r\n");
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
  let body = raw.subarray(split + 4);
  if (headers.get("transfer-encoding") === "chunked") {
    const parts: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf("\r\n", at);
      const size = parseInt(body.subarray(at, lineEnd).toString(), 16);
      if (size === 0) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(statusLine!.split(" ")[1]), headers, body: body.toString() };
}

function pidsSeen(prefix: string): Set<string> {
  return new Set(readdirSync(directory).filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length)));
}

/** Gone means no process, or a zombie waiting for systemd-socket-activate to reap it. */
function processGone(pid: string): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return true;
  }
}

describe("serveConnection over a socket-activated connection", () => {
  it("echoes a Content-Length body, with Content-Length and Connection: close", async () => {
    const { raw } = await exchange((socket) => {
      socket.write("POST /echo?x=1 HTTP/1.1\r\nHost: box.local\r\nContent-Length: 11\r\n\r\nhello ");
      setTimeout(() => socket.write("world"), 50);
    });
    const response = parseResponse(raw);
    expect(response.status).toBe(200);
    expect(response.body).toBe("hello world");
    expect(response.headers.get("content-length")).toBe("11");
    expect(response.headers.get("connection")).toBe("close");
    expect(response.headers.get("x-url")).toBe("http://box.local/echo?x=1");
  });

  it("decodes a chunked body that arrives in pieces split mid-chunk", async () => {
    const { raw } = await exchange(async (socket) => {
      socket.write("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;note=x\r\nhel");
      await sleep(50);
      socket.write("lo\r\n6\r\n worl");
      await sleep(50);
      socket.write("d\r\n0\r\nTrailer-Field: 1\r\n\r\n");
    });
    const response = parseResponse(raw);
    expect(response.status).toBe(200);
    expect(response.body).toBe("hello world");
  });

  it("sends 100 Continue only once the handler reads the body", async () => {
    let interim = "";
    const { raw } = await exchange(async (socket, received) => {
      socket.write("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
      for (let waited = 0; received.raw.length === 0 && waited < 3000; waited += 10) await sleep(10);
      interim = received.raw.toString();
      socket.write("ping");
    });
    expect(interim).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    const final = parseResponse(raw.subarray(interim.length));
    expect(final.status).toBe(200);
    expect(final.body).toBe("ping");
  });

  it("answers without 100 Continue when the handler never reads the body", async () => {
    const { raw } = await exchange((socket) => {
      socket.write("POST /conflict HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    });
    expect(raw.toString()).not.toContain("100 Continue");
    expect(parseResponse(raw).status).toBe(409);
  });

  it("answers a malformed request with 400 JSON and Connection: close", async () => {
    const { raw } = await exchange((socket) => {
      socket.write("GET /echo HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
    });
    const response = parseResponse(raw);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("connection")).toBe("close");
    expect(JSON.parse(response.body).error.code).toBe("bad_request");
  });

  it("refuses a body over maxBodyBytes with 413, for Content-Length and for chunked", async () => {
    const announced = await exchange((socket) => {
      socket.write("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
    });
    expect(parseResponse(announced.raw).status).toBe(413);
    const streamed = await exchange((socket) => {
      socket.write(`POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n${"x".repeat(2000)}\r\n0\r\n\r\n`);
    });
    expect(parseResponse(streamed.raw).status).toBe(413);
  });

  it("sends no body for HEAD (but the length a GET would have) and none for 204", async () => {
    const head = await exchange((socket) => void socket.write("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(head.raw.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*content-length: 5\r\n[^]*\r\n\r\n$/);
    const get = parseResponse((await exchange((socket) => void socket.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n"))).raw);
    expect(get.body).toBe("hello");
    const empty = await exchange((socket) => void socket.write("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n"));
    expect(empty.raw.toString()).toMatch(/^HTTP\/1\.1 204 No Content\r\n[^]*\r\n\r\n$/);
    expect(empty.raw.toString()).not.toMatch(/content-length|transfer-encoding/i);
  });

  it("hides what a crashing handler threw behind a 500", async () => {
    const response = parseResponse((await exchange((socket) => void socket.write("GET /crash HTTP/1.1\r\nHost: a\r\n\r\n"))).raw);
    expect(response.status).toBe(500);
    expect(response.body).not.toContain("secret");
    const broken = parseResponse((await exchange((socket) => void socket.write("GET /broken HTTP/1.1\r\nHost: a\r\n\r\n"))).raw);
    expect(broken.status).toBe(503);
  });

  it("streams server-sent events piece by piece as they are produced", async () => {
    const { raw, pieces } = await exchange((socket) => void socket.write("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n"));
    const arrival = (text: string) => pieces.find((piece) => piece.data.toString().includes(text))!.at;
    expect(arrival("piece 2") - arrival("piece 1")).toBeGreaterThanOrEqual(100);
    expect(arrival("piece 3") - arrival("piece 2")).toBeGreaterThanOrEqual(100);
    const response = parseResponse(raw);
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.body).toBe("data: piece 1\n\ndata: piece 2\n\ndata: piece 3\n\n");
  });

  it("aborts the handler's signal and exits when the client hangs up mid-stream", async () => {
    const before = pidsSeen("pid-");
    await exchange((socket, received) => {
      socket.write("GET /forever HTTP/1.1\r\nHost: a\r\n\r\n");
      socket.on("data", () => received.raw.includes("tick") && socket.destroy());
    });
    const [pid] = [...pidsSeen("pid-")].filter((seen) => !before.has(seen));
    expect(pid).toBeDefined();
    for (let waited = 0; !(pidsSeen("aborted-").has(pid!) && processGone(pid!)) && waited < 3000; waited += 20) await sleep(20);
    expect(pidsSeen("aborted-").has(pid!)).toBe(true);
    expect(pidsSeen("exited-").has(pid!)).toBe(true);
    expect(processGone(pid!)).toBe(true);
  });

  it("answers 408 when the request head does not arrive in time", async () => {
    const started = Date.now();
    const { raw } = await exchange((socket) => void socket.write("GET /echo HTTP/1.1\r\nHost: a\r\n"));
    const response = parseResponse(raw);
    expect(response.status).toBe(408);
    expect(JSON.parse(response.body).error.code).toBe("request_timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(headerTimeoutMs);
  });
});
