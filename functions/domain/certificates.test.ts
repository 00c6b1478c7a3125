import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { alternativeNames, describeCertificate, readStoredCertificates } from "./certificates.ts";

/** A real certificate from openssl: self-issued, with DNS and IP names. */
function certificate(dir: string, subjectAltName: string): string {
  execFileSync("/usr/bin/openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "7",
    "-subj", "/O=caretaker test/CN=Test Issuer", "-addext", `subjectAltName=${subjectAltName}`,
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
  ], { stdio: "ignore" });
  return execFileSync("/usr/bin/openssl", ["x509", "-in", join(dir, "cert.pem")]).toString();
}

describe("alternativeNames(subjectAltName)", () => {
  it("reads DNS names and IP addresses", () => {
    expect(alternativeNames("DNS:Box.local, IP Address:192.168.1.20, email:a@b.c")).toEqual(["box.local", "192.168.1.20"]);
    expect(alternativeNames(undefined)).toEqual([]);
  });
});

describe("describeCertificate(pem, issuerDirectory)", () => {
  it("gives issuer, names and validity of an openssl certificate", () => {
    const dir = mkdtempSync(join(tmpdir(), "cert-"));
    const facts = describeCertificate(certificate(dir, "DNS:box.local,IP:192.168.1.20"), "local");
    expect(facts).toMatchObject({ issuerDirectory: "local", issuer: "Test Issuer", names: ["box.local", "192.168.1.20"] });
    const lifetime = Date.parse(facts.notAfter) - Date.parse(facts.notBefore);
    expect(lifetime).toBe(7 * 86_400_000);
    expect(facts.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});

describe("readStoredCertificates(caddyData)", () => {
  it("reads certmagic's layout (certificates/<issuer>/<name>/<name>.crt) and skips what is not a certificate", async () => {
    const data = mkdtempSync(join(tmpdir(), "caddy-data-"));
    const place = (issuer: string, name: string, pem: string) => {
      mkdirSync(join(data, "certificates", issuer, name), { recursive: true });
      writeFileSync(join(data, "certificates", issuer, name, `${name}.crt`), pem);
    };
    const dir = mkdtempSync(join(tmpdir(), "cert-"));
    place("local", "box.local", certificate(dir, "DNS:box.local"));
    place("acme-v02.api.letsencrypt.org-directory", "cloud.example.org", certificate(dir, "DNS:cloud.example.org"));
    place("local", "half-written", "not a certificate");
    const found = await readStoredCertificates(data);
    expect(found.map((entry) => `${entry.issuerDirectory} ${entry.names.join(",")}`).sort()).toEqual([
      "acme-v02.api.letsencrypt.org-directory cloud.example.org",
      "local box.local",
    ]);
  });
  it("is empty before Caddy stored anything", async () => {
    expect(await readStoredCertificates(join(tmpdir(), "no-such-caddy-data"))).toEqual([]);
  });
});
