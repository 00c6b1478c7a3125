// Cloudflare's API v4 for DNS records, as documented and as observed for refused tokens: {success, errors, messages, result}.
// developers.cloudflare.com/api: bearer token, GET /client/v4/zones?name=, GET
// /client/v4/zones/:zone/dns_records?type=&name=, PATCH /client/v4/zones/:zone/dns_records/:id.
// Refusals (undocumented; as reported in ddns-go, cert-manager and mailflare issues): a malformed
// Authorization header is 400 with 6003 "Invalid request headers" and error_chain 6111; an unknown
// token is 403 with 9109 "Invalid access token"; a token without DNS edit rights gets 403 with 10000
// "Authentication error" on the PATCH.
import { json, startLocalServer, type Answer, type LocalServer } from "./local-server.ts";

interface DnsRecord {
  id: string;
  type: "A" | "AAAA";
  name: string;
  content: string;
}

type CloudflareError = { code: number; message: string; error_chain?: { code: number; message: string }[] };

const envelope = (status: number, result: unknown, errors: CloudflareError[] = []): Answer =>
  json(status, { success: errors.length === 0, errors, messages: [], result });

/** `readOnlyToken` may read zones and records but not edit them. */
export async function startCloudflareServer(zone: string, token: string, records: DnsRecord[], readOnlyToken?: string): Promise<LocalServer & { records: DnsRecord[] }> {
  const zoneId = "023e105f4ecef8ad9ca31a8372d0c353";
  const server = await startLocalServer((request) => {
    const bearer = /^Bearer ([A-Za-z0-9_-]+)$/.exec(request.authorization ?? "")?.[1];
    if (!bearer) return envelope(400, null, [{ code: 6003, message: "Invalid request headers", error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }] }]);
    if (bearer !== token && bearer !== readOnlyToken) return envelope(403, null, [{ code: 9109, message: "Invalid access token" }]);
    if (request.method === "GET" && request.path === "/client/v4/zones") {
      return envelope(200, request.query.name === zone ? [{ id: zoneId, name: zone, status: "active" }] : []);
    }
    const listPath = `/client/v4/zones/${zoneId}/dns_records`;
    if (request.method === "GET" && request.path === listPath) {
      return envelope(200, records.filter((record) => record.type === request.query.type && record.name === request.query.name));
    }
    const record = records.find((entry) => request.path === `${listPath}/${entry.id}`);
    if (request.method === "PATCH" && record) {
      if (bearer !== token) return envelope(403, null, [{ code: 10000, message: "Authentication error" }]);
      const { content } = JSON.parse(request.body) as { content?: string };
      if (!content) return envelope(400, null, [{ code: 9005, message: "Content for A record is invalid." }]);
      record.content = content;
      return envelope(200, record);
    }
    return envelope(404, null, [{ code: 7003, message: "Could not route to " + request.path + ", perhaps your object identifier is invalid?" }]);
  });
  return Object.assign(server, { records });
}
