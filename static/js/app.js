// Starts GOV.UK Frontend components. Loaded as a module from our own origin (CSP: script-src 'self').
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// A part of the page replaced by htmx (an inline save) gets its components started too; if
// the save failed, its error summary takes the focus, as it does on a full page load.
document.body.addEventListener("htmx:afterSwap", (event) => {
  // An outerHTML swap leaves the old element detached: its replacement has the same id.
  const elt = event.detail.elt;
  const root = elt.isConnected ? elt : (elt.id && document.getElementById(elt.id));
  if (!root) return;
  initAll({ scope: root });
  const summary = root.querySelector(".govuk-error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
