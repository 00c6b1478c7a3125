// What a TLS client is shown: the certificate Caddy presents on a port for a given server name (SNI).
import { isIP } from "node:net";
import { connect } from "node:tls";

export function presentedCertificate(port, servername) {
  return new Promise((resolve, reject) => {
    // the client only looks: trust is not what is tested here, the presented certificate is
    // an IP address is never sent as SNI (RFC 6066): Caddy then picks the certificate by the address dialled
    const sni = isIP(servername) ? {} : { servername };
    const socket = connect({ host: "127.0.0.1", port, ...sni, rejectUnauthorized: false }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve({
        issuer: certificate.issuer?.CN,
        names: (certificate.subjectaltname ?? "").split(/,\s*/).map((entry) => entry.replace(/^(DNS|IP Address):/, "").toLowerCase()),
        fingerprint256: certificate.fingerprint256,
      });
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no TLS handshake on ${port} for ${servername}`)));
    socket.on("error", reject);
  });
}
