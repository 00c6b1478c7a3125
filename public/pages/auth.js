// The Access page: API tokens for scripts, the admin password and the second factor.
import { html } from "../html.js";
import { PasswordCard, SecondFactorCard } from "./auth-security.js";
import { TokensCard } from "./auth-tokens.js";

export default function Access() {
  return html`<section class="page">
    <div class="page-head">
      <h1 class="page-title">Access</h1>
    </div>
    <div class="cards">
      <${TokensCard} />
      <${PasswordCard} />
      <${SecondFactorCard} />
    </div>
  </section>`;
}
