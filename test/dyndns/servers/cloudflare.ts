// Cloudflare's API v4 for DNS records (developers.cloudflare.com/api): bearer token, GET
// /client/v4/zones?name=, GET /client/v4/zones/:zone/dns_records?type=&name=, PATCH
// /client/v4/zones/:zone/dns_records/:id; every answer is {success, errors, messages, result}.
import { json, startLocalServer, type Answer, type LocalServer } from "./local-server.ts";

interface DnsRecord {
  id: string;
  type: "A" | "AAAA";
  name: string;
  content: string;
}

const envelope = (status: number, result: unknown, errors: { code: number; message: string }[] = []): Answer =>
  json(status, { success: errors.length === 0, errors, messages: [], result });

export async function startCloudflareServer(zone: string, token: string, records: DnsRecord[]): Promise<LocalServer & { records: DnsRecord[] }> {
  const zoneId = "023e105f4ecef8ad9ca31a8372d0c353";
  const server = await startLocalServer((request) => {
    if (request.authorization !== `Bearer ${token}`) return envelope(403, null, [{ code: 10000, message: "Authentication error" }]);
    if (request.method === "GET" && request.path === "/client/v4/zones") {
      return envelope(200, request.query.name === zone ? [{ id: zoneId, name: zone, status: "active" }] : []);
    }
    const listPath = `/client/v4/zones/${zoneId}/dns_records`;
    if (request.method === "GET" && request.path === listPath) {
      return envelope(200, records.filter((record) => record.type === request.query.type && record.name === request.query.name));
    }
    const record = records.find((entry) => request.path === `${listPath}/${entry.id}`);
    if (request.method === "PATCH" && record) {
      const { content } = JSON.parse(request.body) as { content?: string };
      if (!content) return envelope(400, null, [{ code: 9005, message: "Content for A record is invalid." }]);
      record.content = content;
      return envelope(200, record);
    }
    return envelope(404, null, [{ code: 7003, message: "Could not route to " + request.path + ", perhaps your object identifier is invalid?" }]);
  });
  return Object.assign(server, { records });
}
