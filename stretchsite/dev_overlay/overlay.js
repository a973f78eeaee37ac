/* Dev server only (never part of a build): shows a failed build's problems over the page,
   each naming its file and line, until a build succeeds and the page reloads.

   A same-origin module, as the site's Content-Security-Policy allows no inline code.
   The problems come from problems.json beside this file. After a failed rebuild the
   server sends livereload a "reload" of that file; the plugin below takes it and
   fetches the list again instead of reloading the page. */

const PROBLEMS = new URL("problems.json", import.meta.url);
const STYLES = new URL("overlay.css", import.meta.url);
/* The good build this page came from; the server asks again each time the socket connects,
   as a build that finished while the page was loading told no one. */
const PAGE_BUILD = Number(new URL(import.meta.url).searchParams.get("build"));

let shown = null;

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.textContent = text;
  return node;
}

function problemItem(problem) {
  const item = element("li");
  if (problem.where) item.append(element("code", { class: "where" }, problem.where), " ");
  item.append(element("span", { class: "message" }, problem.message));
  return item;
}

function build(state) {
  const host = element("div", { "data-dev-overlay": "" });
  const root = host.attachShadow({ mode: "open" });
  const box = element("aside", { "aria-labelledby": "dev-headline" });
  const news = element("div", { role: "alert" }); /* read out when it appears */
  const list = element("ol");
  list.append(...state.problems.map(problemItem));
  news.append(element("h2", { id: "dev-headline" }, state.headline), list);
  const hide = element("button", { type: "button" }, "Hide");
  hide.addEventListener("click", () => (box.hidden = true));
  box.append(
    news,
    element("p", { class: "hint" }, "Fix and save: this goes away by itself when the build succeeds."),
    hide,
  );
  const styles = element("link", { rel: "stylesheet", href: STYLES.href });
  host.hidden = true; /* until styled: no flash of a bare list at the foot of the page */
  const reveal = () => (host.hidden = false);
  styles.addEventListener("load", reveal);
  styles.addEventListener("error", reveal);
  root.append(styles, box);
  return { host, box };
}

function show(state) {
  shown?.host.remove();
  shown = null;
  if (!state.problems.length) return;
  shown = build(state);
  document.body.append(shown.host);
  /* Not modal and takes no focus: the author is in the editor, and may want the page. */
}

async function refresh() {
  try {
    const response = await fetch(PROBLEMS, { cache: "no-store" });
    const state = await response.json();
    if (state.build !== PAGE_BUILD) {
      window.location.reload(); /* built again since this page was served */
      return;
    }
    show(state);
  } catch {
    /* the server has stopped: leave the page as it is */
  }
}

class OverlayPlugin {
  static identifier = "stretchsite-overlay";
  static version = "1";
  reload(path) {
    if (path !== PROBLEMS.pathname) return false;
    refresh();
    return true;
  }
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && shown) shown.box.hidden = true;
});
window.LiveReload?.addPlugin(OverlayPlugin);
refresh();
