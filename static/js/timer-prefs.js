// Timer, opened from a coach's link (?have=, ?skip=): what the link leaves out,
// and any name it has wrong. Loaded by timer/main.js only for such a link.
import { readPrefs } from "./choices.js";
import { leftOut, routineChoices } from "./equipment.js";
import { phrasebook } from "./phrases.js";

const $ = (name) => document.querySelector(`[data-prefs-view="${name}"]`);

export function showLinkChoices(data, search) {
  const choices = routineChoices(data, search, readPrefs().without); // as timer/main.js reads it
  const say = phrasebook(data.phrases); // stretchsite/phrases.py, through the routine data
  const list = (items) => say("list", { items: items.join(say("list.separator")) });
  const why = (s) => (s.skipped ? say("link.skipped") : say("link.needs", { equipment: list(s.lacks) }));
  $("remembered").hidden = true; // listed here with what the link leaves out
  $("left-out").textContent = leftOut(data, choices).map((s) => say("link.left_out", { title: s.title, why: why(s) })).join(" ");
  $("bad").hidden = !choices.bad.length;
  $("bad").textContent = say("link.unknown", { names: list(choices.bad) });
  // The boxes show the link's equipment, without saving it.
  for (const box of document.querySelectorAll("input[name=have]")) box.checked = !choices.without.includes(box.value);
  // Equipment chosen on the page replaces the link's (timer/main.js rebuilds the routine).
  document.addEventListener("prefs:change", function mine({ detail }) {
    if (detail.without.join() === choices.without.join()) return;
    document.removeEventListener("prefs:change", mine);
    const params = new URLSearchParams(location.search);
    params.delete("have");
    params.delete("skip");
    history.replaceState(null, "", location.pathname + (params.size ? `?${params}` : ""));
    $("remembered").hidden = false;
    $("left-out").textContent = "";
    $("bad").hidden = true;
  });
}
