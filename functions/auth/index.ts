// The auth function: login, logout and session refresh, the admin password, the optional second
// factor (TOTP) and API tokens. The only unit that holds the private signing key.
import * as v from "valibot";
import { defineFunction, route } from "../_shared/define.ts";
import { readAdmin } from "../_shared/auth-state.ts";
import { changePassword, login, logout, refresh, requireSession } from "./login.ts";
import { confirm, disable, enroll } from "./second-factor.ts";
import { status } from "./status.ts";
import { createToken, listTokens, revokeToken } from "./tokens.ts";
import {
  LoginRequestSchema, OkSchema, PasswordChangeSchema, SessionSchema, StatusSchema, TokenCreateSchema, TokenCreatedSchema,
  TokenListSchema, TotpConfirmSchema, TotpDisableSchema, TotpEnrollSchema, TotpStateSchema,
} from "./schema.ts";

export default defineFunction({
  name: "auth",
  summary: "Sign in and out, the admin password, the second factor (TOTP) and API tokens for scripts",
  routes: [
    route({ method: "GET", path: "/status", summary: "Whether setup is done and who this request is signed in as", public: true, phase: "always", response: StatusSchema, handle: ({ principal }) => status(principal) }),
    route({ method: "POST", path: "/login", summary: "Signs in with the password (and the TOTP code when enabled); sets the session cookie", public: true, body: LoginRequestSchema, response: SessionSchema, handle: ({ request, body }) => login(request, body) }),
    route({ method: "POST", path: "/logout", summary: "Ends this session and clears its cookie", response: OkSchema, handle: ({ request, principal }) => logout(request, principal) }),
    route({ method: "POST", path: "/refresh", summary: "Moves the session's idle deadline on (the page calls it while the owner is active)", response: SessionSchema, handle: ({ request, principal }) => refresh(request, principal) }),
    route({ method: "POST", path: "/password", summary: "Changes the admin password; every other session is signed out", body: PasswordChangeSchema, response: SessionSchema, handle: ({ request, principal, body }) => changePassword(request, principal, body) }),
    route({
      method: "GET", path: "/totp", summary: "Whether the second factor is enabled", response: TotpStateSchema,
      handle: ({ principal }) => (requireSession(principal), { enabled: Boolean(readAdmin()?.totp) }),
    }),
    route({ method: "POST", path: "/totp/enroll", summary: "Starts enabling the second factor: a new secret for the authenticator app", response: TotpEnrollSchema, handle: ({ principal }) => (requireSession(principal), enroll()) }),
    route({ method: "POST", path: "/totp/confirm", summary: "Enables the second factor with a first code from the app", body: TotpConfirmSchema, response: TotpStateSchema, handle: ({ principal, body }) => (requireSession(principal), confirm(body.code)) }),
    route({ method: "POST", path: "/totp/disable", summary: "Disables the second factor (password and a current code)", body: TotpDisableSchema, response: TotpStateSchema, handle: ({ principal, body }) => (requireSession(principal), disable(body.password, body.code)) }),
    route({ method: "GET", path: "/tokens", summary: "The API tokens that have not expired (never the tokens themselves)", response: TokenListSchema, handle: ({ principal }) => (requireSession(principal), { tokens: listTokens() }) }),
    route({ method: "POST", path: "/tokens", summary: "Creates an API token; the answer is the only time it is shown", body: TokenCreateSchema, response: TokenCreatedSchema, handle: ({ principal, body }) => (requireSession(principal), createToken(body)) }),
    route({
      method: "DELETE", path: "/tokens/:id", summary: "Revokes an API token at once", response: OkSchema,
      handle: async ({ principal, params }) => {
        requireSession(principal);
        await revokeToken(v.parse(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)), params.id));
        return { ok: true as const };
      },
    }),
  ],
});
