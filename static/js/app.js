// Starts GOV.UK Frontend components. Loaded as a module from our own origin (CSP: script-src 'self').
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
