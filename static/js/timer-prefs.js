// The timer page and the runner's choices: which stretches their routine holds
// (equipment, or a coach's link), the plan before Start ("4 stretches, 9:25"),
// and the record of a finished routine. Talks to the timer only through its
// events (see timer/main.js); history code loads when a routine finishes.
import { included, leftOut, routineChoices } from "./equipment.js";
import { readPrefs } from "./prefs.js";

const data = JSON.parse(document.getElementById("routine-data").textContent);
const $ = (name) => document.querySelector(`[data-prefs-view="${name}"]`);
const time = (s) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`;

function apply(search) {
  const choices = routineChoices(data, search, readPrefs().without);
  const out = leftOut(data, choices);
  const why = (s) => (s.lacks.length ? `needs ${s.lacks.join(", ")}` : "skipped by this link");
  // The remembered equipment is already marked by css/choices.css; a link's preset is written here.
  $("remembered").hidden = choices.preset;
  $("left-out").textContent = choices.preset ? out.map((s) => `Left out: ${s.title} (${why(s)}).`).join(" ") : "";
  $("bad").hidden = !choices.bad.length;
  $("bad").textContent = choices.bad.length ? `This link names what the routine does not have: ${choices.bad.join(", ")}.` : "";
  // Equipment in the address is this visit's: show it in the boxes without saving it
  // (after js/choices.js has filled them with the remembered choice).
  const boxes = () => {
    for (const box of document.querySelectorAll("input[name=have]")) box.checked = !choices.without.includes(box.value);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boxes, { once: true });
  else boxes();
  document.dispatchEvent(new CustomEvent("timer:include", { detail: out.length ? included(data, choices) : null }));
}

document.addEventListener("timer:plan", (event) => {
  const { stretches, seconds } = event.detail;
  $("plan").textContent = `${stretches} ${stretches === 1 ? "stretch" : "stretches"}, ${time(seconds)}`;
});

// The runner changed what they have on this page: that is remembered and wins over the link.
let without = readPrefs().without.join();
document.addEventListener("prefs:change", (event) => {
  if (event.detail.without.join() === without) return; // the age group: the timer's own business
  without = event.detail.without.join();
  const params = new URLSearchParams(location.search);
  params.delete("have");
  params.delete("skip");
  const search = params.size ? `?${params}` : "";
  history.replaceState(null, "", location.pathname + search);
  apply(search);
});

document.addEventListener("timer:finish", async (event) => {
  const { recordFinish } = await import("./habit/finish.js");
  recordFinish(event.detail, $("habit"));
});

apply(location.search);
