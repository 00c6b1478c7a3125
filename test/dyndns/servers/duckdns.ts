// DuckDNS's update endpoint as www.duckdns.org/spec.jsp describes it: OK or KO, with details when verbose.
// GET /update?domains=&token=[&ip=][&ipv6=][&verbose=true]; domains with or without ".duckdns.org";
// KO for a wrong token or a domain not in the account (the spec names no HTTP status; 200 here, as
// clients observe); without ip= and ipv6= the IPv4 is the connection's; with ipv6= only, the IPv4 is
// not detected (kept here: the spec does not say). verbose=true adds the IPv4, the IPv6 (either may
// be blank) and UPDATED or NOCHANGE, one per line.
import { startLocalServer, text, type LocalServer } from "./local-server.ts";

export async function startDuckdnsServer(subdomain: string, token: string): Promise<LocalServer & { records: { ip: string; ipv6: string } }> {
  const records = { ip: "", ipv6: "" };
  const server = await startLocalServer((request) => {
    if (request.path !== "/update") return text(404, "");
    const domain = (request.query.domains ?? "").replace(/\.duckdns\.org$/, "");
    if (request.query.token !== token || domain !== subdomain) return text(200, "KO");
    const detected = request.query.ip === undefined && request.query.ipv6 === undefined ? request.remote : records.ip;
    const ip = request.query.ip ?? detected;
    const ipv6 = request.query.ipv6 ?? records.ipv6;
    const changed = ip !== records.ip || ipv6 !== records.ipv6;
    Object.assign(records, { ip, ipv6 });
    if (request.query.verbose !== "true") return text(200, "OK");
    return text(200, `OK\n${ip}\n${ipv6}\n${changed ? "UPDATED" : "NOCHANGE"}`);
  });
  return Object.assign(server, { records });
}
