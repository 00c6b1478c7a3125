// The one template tag every page uses: htm bound to Preact's h, so pages need no build step.
import { h } from "preact";
import htm from "htm";

export const html = htm.bind(h);
