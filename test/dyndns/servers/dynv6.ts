// dynv6's update API (dynv6.com/docs/apis): GET /api/update?hostname=&token=&ipv4=&ipv6=, answering
// "addresses updated" / "addresses unchanged", 401 "invalid authentication token", 404 "zone not found".
import { startLocalServer, text, type LocalServer } from "./local-server.ts";

export async function startDynv6Server(zone: string, token: string): Promise<LocalServer & { records: { ipv4: string; ipv6: string } }> {
  const records = { ipv4: "", ipv6: "" };
  const server = await startLocalServer((request) => {
    if (request.path !== "/api/update") return text(404, "not found");
    if (request.query.token !== token) return text(401, "invalid authentication token");
    if (request.query.hostname !== zone) return text(404, "zone not found");
    const next = { ipv4: request.query.ipv4 ?? records.ipv4, ipv6: request.query.ipv6 ?? records.ipv6 };
    const changed = next.ipv4 !== records.ipv4 || next.ipv6 !== records.ipv6;
    Object.assign(records, next);
    return text(200, changed ? "addresses updated" : "addresses unchanged");
  });
  return Object.assign(server, { records });
}
