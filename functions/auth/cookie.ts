// The session cookie's Set-Cookie lines: HttpOnly, SameSite=Strict, Path=/, and Secure whenever the
// client reached Caddy over HTTPS (X-Forwarded-Proto); only dev mode on plain loopback HTTP goes without.
import { sessionCookie } from "../_shared/auth.ts";

function attributes(request: Request, maxAgeSeconds: number): string {
  const secure = (request.headers.get("x-forwarded-proto") ?? "https") !== "http";
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export function setSessionCookie(request: Request, value: string, maxAgeSeconds: number): string {
  return `${sessionCookie}=${value}; ${attributes(request, Math.max(0, maxAgeSeconds))}`;
}

export function clearSessionCookie(request: Request): string {
  return `${sessionCookie}=; ${attributes(request, 0)}`;
}
