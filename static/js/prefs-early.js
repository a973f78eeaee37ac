// Classic script in <head>: marks <html> for css/choices.css before the first paint (key: js/choices.js).
(function () {
  var root = document.documentElement;
  var word = function (v) { return typeof v === "string" && /^[a-z0-9-]+$/.test(v); };
  root.setAttribute("data-prefs", "");
  try {
    var prefs = JSON.parse(localStorage.getItem("stretchsite:prefs")) || {};
    var linked = new URLSearchParams(location.search).get("age");
    var age = word(linked) ? linked : prefs.age;
    if (word(age)) root.setAttribute("data-age", age);
    if (Array.isArray(prefs.without)) root.setAttribute("data-without", prefs.without.filter(word).join(" "));
  } catch (e) {} // no storage: both holds show
})();
