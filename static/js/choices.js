// The runner's age group and the equipment they lack, kept on this device for
// every page; also the marks on <html> for css/choices.css (set first by
// prefs-early.js, same key), the choice forms and the Print link.

export const KEY = "stretchsite:prefs";
const word = (v) => typeof v === "string" && /^[a-z0-9-]+$/.test(v); // test(null) would test "null"

// { age, without: [equipment ids] }; anything malformed is no choice.
export function readPrefs() {
  let raw = null;
  try {
    raw = JSON.parse(localStorage.getItem(KEY));
  } catch {}
  return { age: word(raw?.age) ? raw.age : null, without: Array.isArray(raw?.without) ? raw.without.filter(word) : [] };
}

export function savePrefs(change) {
  const prefs = { ...readPrefs(), ...change };
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs));
  } catch {}
  show(prefs);
  document.dispatchEvent(new CustomEvent("prefs:change", { detail: prefs }));
}

// A link's age group (?age=, a printed card's QR code) wins for the visit.
function pageAge(prefs) {
  const linked = new URLSearchParams(location.search).get("age");
  return word(linked) ? linked : prefs.age;
}

function show(prefs) {
  const root = document.documentElement;
  const age = pageAge(prefs);
  if (age) root.dataset.age = age;
  else delete root.dataset.age;
  root.dataset.without = prefs.without.join(" ");
  for (const box of document.querySelectorAll("[data-prefs-form] input")) box.checked = box.name === "age" ? box.value === age : !prefs.without.includes(box.value);
  // Print: their own card
  for (const link of document.querySelectorAll("a[data-card-urls]")) link.href = JSON.parse(link.dataset.cardUrls)[age] || link.href;
}

document.addEventListener("change", ({ target }) => {
  const form = target.closest("[data-prefs-form]");
  if (!form) return;
  if (target.name === "have") return savePrefs({ without: [...form.querySelectorAll(":not(:checked)")].map((box) => box.value).filter(Boolean) });
  // Chosen here, it outlasts a link's age group: out of the address.
  const params = new URLSearchParams(location.search);
  params.delete("age");
  history.replaceState(null, "", location.pathname + (params.size ? `?${params}` : "") + location.hash);
  savePrefs({ age: target.value });
});
show(readPrefs());
