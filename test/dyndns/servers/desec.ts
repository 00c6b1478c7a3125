// deSEC's IP update endpoint as its documentation describes it: any path, basic auth with the
// domain as user and the token as password (401 otherwise), myipv4/myipv6 with "preserve", and a
// plain "good" on success. Throttling (429 + Retry-After) is forced by tests.
import { basicCredentials, json, startLocalServer, text, type LocalServer } from "./local-server.ts";

export async function startDesecServer(domain: string, token: string): Promise<LocalServer & { records: { A: string | null; AAAA: string | null } }> {
  const records = { A: null as string | null, AAAA: null as string | null };
  const server = await startLocalServer((request) => {
    const credentials = basicCredentials(request.authorization);
    if (!credentials || credentials.user !== domain || credentials.password !== token) {
      return json(401, { detail: "Invalid username/password." }, { "www-authenticate": 'Basic realm="api"' });
    }
    if (request.query.hostname !== domain) return text(404, "nohost");
    for (const [parameter, type] of [["myipv4", "A"], ["myipv6", "AAAA"]] as const) {
      const value = request.query[parameter];
      if (value === undefined) records[type] = null;
      else if (value !== "preserve") records[type] = value;
    }
    return text(200, "good");
  });
  return Object.assign(server, { records });
}
