// Reads the certificates Caddy keeps in its storage (certificates/<issuer>/<name>/<name>.crt) as
// public facts: issuer, names, validity. Only *.crt files are opened, never the keys beside them.
import { X509Certificate } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export const defaultCaddyData = "/var/lib/caddy/.local/share/caddy";

export interface StoredCertificate {
  /** certmagic's folder for the issuer: "local" for Caddy's internal CA, else the ACME directory (e.g. acme-v02.api.letsencrypt.org-directory) */
  issuerDirectory: string;
  issuer: string;
  names: string[];
  notBefore: string;
  notAfter: string;
  serial: string;
  fingerprint256: string;
}

/** "CN=R11" or "C=US\nO=Let's Encrypt\nCN=R11" → "R11" */
function commonName(distinguishedName: string): string {
  const line = distinguishedName.split("\n").reverse().find((part) => part.startsWith("CN="));
  return line ? line.slice(3) : distinguishedName.replace(/\n/g, ", ");
}

/** "DNS:box.local, IP Address:192.168.1.20" → ["box.local", "192.168.1.20"] */
export function alternativeNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1]?.toLowerCase())
    .filter((name): name is string => Boolean(name));
}

/** The first certificate of a PEM chain (the leaf) as facts. */
export function describeCertificate(pem: string | Buffer, issuerDirectory: string): StoredCertificate {
  const certificate = new X509Certificate(pem);
  return {
    issuerDirectory,
    issuer: commonName(certificate.issuer),
    names: alternativeNames(certificate.subjectAltName),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    serial: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
  };
}

async function entries(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    // not there yet, or a file where certmagic keeps folders: nothing to read
    if (["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "")) return [];
    throw error;
  }
}

/** Every certificate in Caddy's storage (all issuers, all names), read in parallel. */
export async function readStoredCertificates(caddyData = defaultCaddyData): Promise<StoredCertificate[]> {
  const root = join(caddyData, "certificates");
  const found = await Promise.all(
    (await entries(root)).map(async (issuerDirectory) =>
      Promise.all(
        (await entries(join(root, issuerDirectory))).map(async (folder) => {
          try {
            return describeCertificate(await readFile(join(root, issuerDirectory, folder, `${folder}.crt`)), issuerDirectory);
          } catch {
            return undefined; // a folder being written right now, or not a certificate
          }
        }),
      ),
    ),
  );
  return found.flat().filter((entry): entry is StoredCertificate => entry !== undefined);
}
