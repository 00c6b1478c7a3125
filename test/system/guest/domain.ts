// The domain function in the booted guest: the first boot applies setup's name and changes it
// through Caddy's admin API; the second boot finds the changed name still running (Caddy resumed
// its autosaved config) and the same certificate presented for it.
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { bearer, curl } from "./access.ts";
import { run } from "./systemctl.ts";

type Check = (subject: string, name: string, ok: boolean, detail: string) => void;

const changedName = "caretaker-test.local";
const remembered = "/results/domain.json";
const autosave = "/var/lib/caddy/.config/caddy/autosave.json";

function json(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}

/** The leaf certificate Caddy presents for `name` on 443 (curl's %{certs}), as a SHA-256 fingerprint. */
function presentedFingerprint(name: string): string {
  const answer = run(["curl", "-sS", "-k", "--max-time", "20", "-o", "/dev/null", "-w", "%{certs}", "--resolve", `${name}:443:127.0.0.1`, `https://${name}/`]);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(answer.stdout)?.[0];
  return pem ? new X509Certificate(pem).fingerprint256 : `none (${answer.stderr.trim()})`;
}

export function domainFirstBoot(token: string, check: Check) {
  const socket = existsSync("/run/caddy/admin.sock") ? statSync("/run/caddy/admin.sock") : undefined;
  check("domain", "admin socket", !!socket && (socket.mode & 0o007) === 0 && (socket.mode & 0o070) === 0o070, `/run/caddy/admin.sock mode ${socket ? (socket.mode & 0o777).toString(8) : "missing"} (group caddy may connect, others may not)`);
  const applied = curl("POST", "/api/domain/apply-setup", { headers: bearer(token) });
  check("domain", "setup's name applied", applied.status === "200" && json(applied.body).name === "127.0.0.1", `POST /api/domain/apply-setup: ${applied.status} ${applied.body.slice(0, 300)}`);
  const changed = curl("PUT", "/api/domain/settings", { headers: bearer(token), body: { name: changedName, tls: "internal" } });
  const status = json(changed.body);
  const certificate = status.certificate ?? {};
  check("domain", "name changed", changed.status === "200" && status.name === changedName && certificate.names?.[0] === changedName, `PUT /api/domain/settings: ${changed.status} ${changed.body.slice(0, 400)}`);
  const presented = presentedFingerprint(changedName);
  check("domain", "certificate presented", presented === certificate.fingerprint256, `Caddy presents ${presented} for ${changedName}; the API reports ${certificate.fingerprint256}`);
  const refused = curl("PUT", "/api/domain/settings", { headers: bearer(token), body: { name: "*.example.org", tls: "internal" } });
  check("domain", "invalid name refused", refused.status === "422" && refused.body.includes("body.name"), `PUT a wildcard: ${refused.status} ${refused.body.slice(0, 200)}`);
  const saved = existsSync(autosave) && readFileSync(autosave, "utf8").includes(changedName);
  check("domain", "autosaved", saved, `${autosave} ${saved ? "holds" : "does not hold"} ${changedName}`);
  writeFileSync(remembered, JSON.stringify({ name: changedName, fingerprint256: certificate.fingerprint256 }));
}

export function domainAfterReboot(token: string, check: Check) {
  const before = json(existsSync(remembered) ? readFileSync(remembered, "utf8") : "{}");
  const answer = curl("GET", "/api/domain/status", { headers: bearer(token) });
  const status = json(answer.body);
  check("domain", "name kept", answer.status === "200" && status.name === before.name && status.tls === "internal", `GET /api/domain/status after the reboot: ${answer.status} ${answer.body.slice(0, 400)}`);
  const presented = presentedFingerprint(before.name);
  check("domain", "certificate kept", presented === before.fingerprint256 && status.certificate?.fingerprint256 === before.fingerprint256, `Caddy presents ${presented} for ${before.name}; before the reboot ${before.fingerprint256}`);
}
