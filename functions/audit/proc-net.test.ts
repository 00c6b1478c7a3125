// parseTable, decodeAddress and readPorts: captured /proc/net lines, and this very process listening.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { decodeAddress, parseTable, readPorts } from "./proc-net.ts";

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 41235 1 0000000000000000 100 0 0 10 0
   1: 0100007F:0CEA 0100007F:D2F4 01 00000000:00000000 00:00000000 00000000   998        0 41299 1 0000000000000000 20 4 30 10 -1
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2331 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2332 1 0000000000000000 100 0 0 10 0
   2: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2333 1 0000000000000000 100 0 0 10 0
`;

describe("parseTable(text, protocol)", () => {
  it("keeps listening sockets with address, port, owner and inode, and drops connections", () => {
    expect(parseTable(tcp, "tcp")).toEqual([{ protocol: "tcp", address: "127.0.0.1", port: 3306, uid: 998, inode: "41235" }]);
    expect(parseTable(tcp6, "tcp").map((socket) => `${socket.address} ${socket.port}`)).toEqual([":: 443", "::1 22", "2001:db8::1 80"]);
  });
  it("decodes addresses word by word in host order", () => {
    expect(decodeAddress("0100A8C0")).toBe("192.168.0.1");
    expect(decodeAddress("00000000")).toBe("0.0.0.0");
  });
});

describe("readPorts()", () => {
  it("finds a socket this process listens on, with this process behind it", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const found = (await readPorts()).find((entry) => entry.protocol === "tcp" && entry.port === port);
      expect(found).toMatchObject({ address: "127.0.0.1", exposed: false, user: "root" });
      expect(found?.processes.map((owner) => owner.pid)).toContain(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
