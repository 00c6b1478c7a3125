// deSEC's IP update endpoint as desec-stack's DynDNS12UpdateView answers: basic auth, "preserve", plain-text errors.
// Sources: desec.readthedocs.io/en/latest/dyndns/update-api.html and desec-io/desec-stack
// api/desecapi/{views/dyndns.py,authentication.py,renderers.py}: any path; basic auth with the domain
// as user and the token as password, else 401 "Invalid basic auth token" (text/plain, WWW-Authenticate:
// Basic); a hostname the token does not own is 404 "nohost"; myipv4/myipv6 "preserve" keeps the record,
// an absent one takes the connection's address of that family or deletes the record, an empty one
// deletes it; success is 200 "good" even when nothing changed. Throttling (429 with Retry-After and
// "Request was throttled. Expected available in N seconds.") is forced by tests.
import { basicCredentials, startLocalServer, text, type LocalServer } from "./local-server.ts";

const families = [["myipv4", "A", "."], ["myipv6", "AAAA", ":"]] as const;

export async function startDesecServer(domain: string, token: string): Promise<LocalServer & { records: { A: string | null; AAAA: string | null } }> {
  const records = { A: null as string | null, AAAA: null as string | null };
  const server = await startLocalServer((request) => {
    const credentials = basicCredentials(request.authorization);
    if (!credentials || credentials.user !== domain || credentials.password !== token) {
      return text(401, "Invalid basic auth token", { "www-authenticate": "Basic" });
    }
    if ((request.query.hostname ?? domain) !== domain) return text(404, "nohost");
    for (const [parameter, type, separator] of families) {
      const value = request.query[parameter];
      if (value === "preserve") continue;
      if (value === undefined) records[type] = request.remote.includes(separator) ? request.remote : null;
      else records[type] = value === "" ? null : value;
    }
    return text(200, "good");
  });
  return Object.assign(server, { records });
}
