// Register the service worker found relative to this file, so its scope is the
// site's base path (/ or /repo/ on GitHub Pages) wherever the site is served.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(new URL("../sw.js", import.meta.url)).catch(() => {});
}
