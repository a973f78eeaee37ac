// Runs in <head>, before the first paint (a classic script: no module, no
// defer), so the page is drawn with the runner's own choices from the start:
// no flash of the other age group's hold, no jump when a script runs later.
// It only marks <html>; css/choices.css (generated from the content) does the
// rest, and js/prefs.js owns the stored value and checks it properly.
(function () {
  var root = document.documentElement;
  root.setAttribute("data-prefs", "");
  try {
    var prefs = JSON.parse(localStorage.getItem("stretchsite:prefs")) || {};
    var word = { test: function (v) { return typeof v === "string" && /^[a-z0-9-]+$/.test(v); } };
    // A link's age group (a printed card's QR code) wins for this visit, as in the timer.
    var linked = new URLSearchParams(location.search).get("age");
    var age = word.test(linked) ? linked : prefs.age;
    if (word.test(age)) root.setAttribute("data-age", age);
    if (Array.isArray(prefs.without)) root.setAttribute("data-without", prefs.without.filter(function (e) { return word.test(e); }).join(" "));
  } catch (e) {
    // No storage or unreadable data: both holds show, as without JavaScript.
  }
})();
