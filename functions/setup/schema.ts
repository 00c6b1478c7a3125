// The setup function's request and response schemas (also its OpenAPI description).
import * as v from "valibot";

export const PasswordSchema = v.pipe(
  v.string(),
  v.minLength(10, "at least 10 characters"),
  v.maxLength(1024, "at most 1024 characters"),
  v.description("the admin password: 10 to 1024 characters"),
);

export const SetupCodeSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description("the one-time setup code shown on the box's console and in its journal"));

export const BoxSchema = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(253), v.description("an IP address, a .local name or a public domain")),
  tls: v.pipe(v.picklist(["internal", "acme"]), v.description("internal: Caddy's own CA (IP, .local or a private domain); acme: Let's Encrypt (public domain)")),
  email: v.optional(v.pipe(v.string(), v.email(), v.maxLength(254), v.description("contact address for Let's Encrypt (acme only)"))),
});

export const StatusSchema = v.strictObject({
  hostname: v.pipe(v.string(), v.description("the box's host name")),
  suggestions: v.pipe(v.array(v.string()), v.description("names the box may be given: the address it was reached at, <hostname>.local")),
  passwordMinLength: v.number(),
});

export const CodeRequestSchema = v.strictObject({ code: SetupCodeSchema });
export const CodeResponseSchema = v.strictObject({ valid: v.literal(true) });

export const CompleteRequestSchema = v.strictObject({ code: SetupCodeSchema, password: PasswordSchema, box: BoxSchema });
export const CompleteResponseSchema = v.strictObject({
  complete: v.literal(true),
  box: BoxSchema,
});
