// The domain's status: the name and mode from Caddy's running config, the certificate from its storage.
import { readSettings } from "./caddy-config.ts";
import { nameKind } from "./name.ts";
import { certificateFacts, pickCertificate, renewalOf } from "./renewal.ts";
import type { Status } from "./schema.ts";
import type { DomainSources } from "./sources.ts";

export async function readStatus(sources: DomainSources): Promise<Status> {
  const current = readSettings(await sources.admin.getConfig());
  const now = sources.now();
  const stored = current.name && current.tls ? pickCertificate(await sources.readCertificates(), current.name, current.tls) : undefined;
  const certificate = stored ? certificateFacts(stored, now) : null;
  return {
    name: current.name,
    kind: current.name ? nameKind(current.name) : null,
    tls: current.tls,
    email: current.email,
    fallback: current.fallback,
    certificate,
    renewal: renewalOf(certificate, current.name, now),
    checkedAt: now.toISOString(),
  };
}
