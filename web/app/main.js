// The reference booking app: three pages on hash routes, so the gateway serves one file.
//   #/             book (anonymous caller)
//   #/link/<token> an anonymous link's booking (also opened as ?token=<token>)
//   #/admin        the business's view (admin key)
// A token in the hash never reaches a server: browsers send neither the fragment nor, in the
// Referer, anything but the origin (see the page's referrer policy).
import "./styles.css";
import { adminView } from "./admin-view.js";
import { bookView } from "./book-view.js";
import { linkView } from "./link-view.js";

// [pattern, (match) => [title, element], the nav link of the page]
const ROUTES = [
  [/^#\/link\/(.+)$/, (match) => ["Your booking", linkView(decodeURIComponent(match[1]))], null],
  [/^#\/admin$/, () => ["Bookings for the business", adminView()], "#/admin"],
  [/^(#\/?)?$/, () => ["Book a visit", bookView()], "#/"],
];

const main = document.getElementById("main");

function route({ focus }) {
  for (const [pattern, view, current] of ROUTES) {
    const match = location.hash.match(pattern);
    if (!match) continue;
    const [title, element] = view(match);
    document.title = `${title} · Riverside reference app`;
    main.replaceChildren(element);
    for (const link of document.querySelectorAll("nav a")) {
      if (link.getAttribute("href") === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (focus) main.querySelector("h1")?.focus(); // screen readers hear the new page
    return;
  }
  location.hash = "#/"; // unknown route
}

// `?token=` links (e.g. from an email template) become hash links, and leave the address bar.
const token = new URLSearchParams(location.search).get("token");
if (token) history.replaceState(null, "", `${location.pathname}#/link/${encodeURIComponent(token)}`);

window.addEventListener("hashchange", () => route({ focus: true }));
route({ focus: false });
