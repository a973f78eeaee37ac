// Records what a visitor never sees but a test must: script errors, resources
// that failed to load, rejected promises, console errors and warnings, and
// Content-Security-Policy violations. Runs before the page's own scripts: as a
// WebKit user script (webkit_shell.py) or a BiDi preload script (firefox_rpc.mjs).
(() => {
  const problems = [];
  Object.defineProperty(window, "__problems", { value: problems });
  const where = (e) => (e.filename ? ` at ${e.filename}:${e.lineno}` : "");
  window.addEventListener(
    "error",
    (e) => {
      const target = e.target;
      if (target && target !== window && (target.src || target.href)) {
        problems.push(`failed to load ${target.src || target.href}`);
      } else {
        problems.push(`script error: ${e.message}${where(e)}`);
      }
    },
    true,
  );
  window.addEventListener("unhandledrejection", (e) =>
    problems.push(`unhandled rejection: ${e.reason}`),
  );
  window.addEventListener(
    "securitypolicyviolation",
    (e) =>
      problems.push(
        `policy: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"}` +
          ` at ${e.sourceFile}:${e.lineNumber}`,
      ),
    true,
  );
  for (const level of ["error", "warn"]) {
    const original = console[level];
    console[level] = (...args) => {
      problems.push(`console.${level}: ${args.join(" ")}`);
      original.apply(console, args);
    };
  }
})();
