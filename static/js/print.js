// Printable pages: the Print button. It stays hidden without JavaScript,
// where it could not work; the browser's own Print menu always does.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
