// A dyndns2 server as Dyn documents it (help.dyn.com "Perform Update", "Return Codes"): one code per host.
// GET /nic/update?hostname=&myip= with basic auth; 200 and one code per host: good <ip>, nochg <ip>,
// badauth, nohost, notfqdn; badagent without a user agent, and "good 127.0.0.1" (request ignored) for
// an agent that is not "company - device - version". The codes come with HTTP 200 (ddclient notes
// that "some services can return 200 OK even if there is an error"); 401 only without credentials.
import { basicCredentials, startLocalServer, text, type LocalServer } from "./local-server.ts";

export interface Dyndns2Account {
  username: string;
  password: string;
  hosts: string[];
}

export async function startDyndns2Server(account: Dyndns2Account): Promise<LocalServer & { records: Map<string, string> }> {
  const records = new Map<string, string>();
  const server = await startLocalServer((request) => {
    if (request.path !== "/nic/update") return text(404, "not found");
    if (!request.userAgent) return text(200, "badagent");
    if (!/^[^-]+ - [^-]+ - \S+$/.test(request.userAgent)) return text(200, "good 127.0.0.1");
    const credentials = basicCredentials(request.authorization);
    if (!credentials) return text(401, "badauth", { "www-authenticate": 'Basic realm="DynDNS API Access"' });
    if (credentials.user !== account.username || credentials.password !== account.password) return text(200, "badauth");
    const host = request.query.hostname ?? "";
    if (!/^[^.]+\..+$/.test(host)) return text(200, "notfqdn");
    if (!account.hosts.includes(host)) return text(200, "nohost");
    const address = request.query.myip ?? "";
    if (records.get(host) === address) return text(200, `nochg ${address}`);
    records.set(host, address);
    return text(200, `good ${address}`);
  });
  return Object.assign(server, { records });
}
