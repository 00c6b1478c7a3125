// The auth function's request and response schemas (also its OpenAPI description).
import * as v from "valibot";
import { ScopeSchema } from "../_shared/credential.ts";
import { PasswordSchema } from "../setup/schema.ts";

const timestamp = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(what));
const TotpCodeSchema = v.pipe(v.string(), v.regex(/^\d{6}$/, "six digits"), v.description("the six-digit code of the authenticator app"));

export const SessionSchema = v.strictObject({
  expiresAt: timestamp("the session ends at this time whatever happens (12 hours after login)"),
  idleExpiresAt: timestamp("the session ends at this time unless the page calls POST /api/auth/refresh (30 minutes of inactivity)"),
});

export const StatusSchema = v.strictObject({
  setupComplete: v.pipe(v.boolean(), v.description("false until first-boot setup is done; then open the setup wizard")),
  signedIn: v.pipe(
    v.nullable(v.strictObject({ kind: v.picklist(["session", "token"]), name: v.string() })),
    v.description("who the request's credential belongs to; null when it carries none or a lapsed one"),
  ),
  session: v.pipe(v.nullable(SessionSchema), v.description("the session's deadlines when signed in with the session cookie")),
  box: v.pipe(v.nullable(v.strictObject({ name: v.string(), tls: v.picklist(["internal", "acme"]) })), v.description("the box's name once set")),
});

export const LoginRequestSchema = v.strictObject({
  password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  totp: v.optional(TotpCodeSchema),
});

export const OkSchema = v.strictObject({ ok: v.literal(true) });

export const PasswordChangeSchema = v.strictObject({ current: v.pipe(v.string(), v.maxLength(1024)), new: PasswordSchema });

export const TotpEnrollSchema = v.strictObject({
  secret: v.pipe(v.string(), v.description("base32 secret, to type into an authenticator app")),
  uri: v.pipe(v.string(), v.description("otpauth:// URI, to open with an authenticator app")),
});
export const TotpConfirmSchema = v.strictObject({ code: TotpCodeSchema });
export const TotpDisableSchema = v.strictObject({ password: v.pipe(v.string(), v.maxLength(1024)), code: TotpCodeSchema });
export const TotpStateSchema = v.strictObject({ enabled: v.boolean() });

export const TokenInfoSchema = v.strictObject({
  id: v.pipe(v.string(), v.description("what DELETE /api/auth/tokens/{id} names; not a secret")),
  name: v.string(),
  createdAt: timestamp("when it was created"),
  expiresAt: timestamp("when it stops working"),
  scope: ScopeSchema,
});

export const TokenCreateSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64), v.description("what the token is for, e.g. backup-script")),
  expiresInDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(730), v.description("1 to 730 days")),
  scope: ScopeSchema,
});

export const TokenCreatedSchema = v.strictObject({
  ...TokenInfoSchema.entries,
  token: v.pipe(v.string(), v.description("the token itself: shown this once, never stored; send it as Authorization: Bearer <token>")),
});

export const TokenListSchema = v.strictObject({ tokens: v.array(TokenInfoSchema) });

export type TokenInfo = v.InferOutput<typeof TokenInfoSchema>;
