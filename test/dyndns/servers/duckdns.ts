// DuckDNS's update endpoint (duckdns.org/spec.jsp): GET /update?domains=&token=&ip=&ipv6=&verbose=;
// KO for a wrong token or domain, OK otherwise, and with verbose=true the addresses and UPDATED/NOCHANGE.
import { startLocalServer, text, type LocalServer } from "./local-server.ts";

export async function startDuckdnsServer(subdomain: string, token: string): Promise<LocalServer & { records: { ip: string; ipv6: string } }> {
  const records = { ip: "", ipv6: "" };
  const server = await startLocalServer((request) => {
    if (request.path !== "/update") return text(404, "");
    if (request.query.token !== token || request.query.domains !== subdomain) return text(200, "KO");
    const ip = request.query.ip ?? records.ip;
    const ipv6 = request.query.ipv6 ?? records.ipv6;
    const changed = ip !== records.ip || ipv6 !== records.ipv6;
    Object.assign(records, { ip, ipv6 });
    if (request.query.verbose !== "true") return text(200, "OK");
    return text(200, `OK\n${ip}\n${ipv6}\n${changed ? "UPDATED" : "NOCHANGE"}`);
  });
  return Object.assign(server, { records });
}
