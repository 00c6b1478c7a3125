// A local HTTP server on 127.0.0.1 for one provider: records every request, answers through the
// provider's handler, and lets a test queue forced answers (maintenance, throttling, outages).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  userAgent: string | undefined;
  body: string;
  /** the connection's address, which providers use when a request names none */
  remote: string;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface LocalServer {
  origin: string;
  seen: Seen[];
  /** the next answers, before the handler is asked (e.g. a 911 or a 503) */
  force(...answers: Answer[]): void;
  close(): Promise<void>;
}

export type Handler = (request: Seen) => Answer;

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const seen: Seen[] = [];
  const forced: Answer[] = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://local");
    const entry: Seen = {
      method: request.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      userAgent: request.headers["user-agent"],
      body: await read(request),
      remote: (request.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
    };
    seen.push(entry);
    const answer = forced.shift() ?? handler(entry);
    response.writeHead(answer.status, { "content-type": "text/plain; charset=utf-8", ...answer.headers });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    force: (...answers) => forced.push(...answers),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function basicCredentials(authorization: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic (.+)$/.exec(authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const text = (status: number, body: string, headers?: Record<string, string>): Answer => ({ status, body, headers });
export const json = (status: number, value: unknown, headers?: Record<string, string>): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json", ...headers },
});
