// dynv6's Update API (dynv6.com/docs/apis): GET /api/update?zone|hostname=&token=&ipv4=&ipv6=, answered in plain words.
// An empty or absent ipv4/ipv6 keeps the record, "-" removes it. Success bodies are the observed
// "addresses updated" / "addresses unchanged" (200). The refusals' statuses and words are not documented:
// 401 "invalid authentication token" and 404 "zone not found" are assumptions (any 4xx stops the client).
import { startLocalServer, text, type LocalServer } from "./local-server.ts";

export async function startDynv6Server(zone: string, token: string): Promise<LocalServer & { records: { ipv4: string; ipv6: string } }> {
  const records = { ipv4: "", ipv6: "" };
  const server = await startLocalServer((request) => {
    if (request.path !== "/api/update") return text(404, "not found");
    if (request.query.token !== token) return text(401, "invalid authentication token");
    const named = request.query.zone ?? request.query.hostname ?? request.query.Hostname;
    if (named !== zone) return text(404, "zone not found");
    const value = (given: string | undefined, current: string) => (!given ? current : given === "-" ? "" : given);
    const next = { ipv4: value(request.query.ipv4, records.ipv4), ipv6: value(request.query.ipv6, records.ipv6) };
    const changed = next.ipv4 !== records.ipv4 || next.ipv6 !== records.ipv6;
    Object.assign(records, next);
    return text(200, changed ? "addresses updated" : "addresses unchanged");
  });
  return Object.assign(server, { records });
}
