// Home and stretch pages: the age and equipment choices, and the links that
// follow them. The page is complete without this script; it only adds the choice.
import { markDocument, pageAge, readPrefs, savePrefs } from "./prefs.js";

const forms = document.querySelectorAll("form[data-prefs-form]");

// Every form on the page shows the remembered choice.
function fill(prefs) {
  const age = pageAge(prefs);
  for (const form of forms) {
    for (const field of form.elements) {
      if (field.name === "age") field.checked = field.value === age;
      if (field.name === "have") field.checked = !prefs.without.includes(field.value);
    }
  }
  // "Print" opens the runner's own card once they have an age group.
  for (const link of document.querySelectorAll("a[data-card-urls]")) {
    const urls = JSON.parse(link.dataset.cardUrls);
    link.dataset.href ||= link.getAttribute("href");
    link.href = Object.hasOwn(urls, age) ? urls[age] : link.dataset.href;
  }
}

for (const form of forms) {
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    const field = event.target;
    if (field.name === "age") {
      // A choice made here outlasts a link's age group: take it out of the address.
      const params = new URLSearchParams(location.search);
      if (params.has("age")) params.delete("age"), history.replaceState(null, "", location.pathname + (params.size ? `?${params}` : "") + location.hash);
      savePrefs({ age: field.value });
    }
    if (field.name === "have") {
      const without = [...form.querySelectorAll("input[name=have]")].filter((f) => !f.checked).map((f) => f.value);
      savePrefs({ without });
    }
  });
}
document.addEventListener("prefs:change", (event) => fill(event.detail));
// Another tab changed the choice: follow it.
addEventListener("storage", () => {
  const prefs = readPrefs();
  markDocument(prefs);
  fill(prefs);
});

const prefs = readPrefs();
markDocument(prefs); // drops a stored value prefs-early.js took but this module rejects
fill(prefs);
