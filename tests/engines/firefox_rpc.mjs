// Firefox ESR driven by puppeteer-core over WebDriver BiDi, for the Python tests.
// One JSON request per line on stdin, one JSON answer per line on stdout:
//   {"op": "open", "width": 390, "height": 844}   a fresh private context and page
//   {"op": "goto", "url": "..."}                  navigate, wait for the load event
//   {"op": "run", "expression": "..."}            evaluate in the page (promises awaited)
//   {"op": "click", "finder": "(name) => ...", "name": "Start"}  a real mouse click
//   {"op": "pdf", "format": "A4", "margin": "0.5in"}             print to PDF (base64)
//   {"op": "problems"}                            console errors and page errors seen
// Answers: {"value": ...} or {"error": "message"}.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const probe = readFileSync(new URL("./probe.js", import.meta.url), "utf8");
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX_PATH || "/usr/bin/firefox-esr",
  headless: true,
});
let context = null;
let page = null;
let problems = [];

const ops = {
  async open({ width, height }) {
    if (context) await context.close();
    context = await browser.createBrowserContext();
    page = await context.newPage();
    problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (["error", "warn"].includes(message.type())) {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
    await page.setViewport({ width, height });
    await page.evaluateOnNewDocument(probe);
    return null;
  },
  async goto({ url }) {
    problems = [];
    const response = await page.goto(url, { waitUntil: "load" });
    return response ? response.status() : null;
  },
  run: ({ expression }) => page.evaluate(expression),
  async click({ finder, name }) {
    const handle = await page.evaluateHandle(`(${finder})(${JSON.stringify(name)})`);
    const element = handle.asElement();
    if (!element) throw new Error(`no visible button named ${JSON.stringify(name)}`);
    await element.click();
    return null;
  },
  async pdf({ format, margin }) {
    const pdf = await page.pdf({
      format,
      margin: { top: margin, right: margin, bottom: margin, left: margin },
      printBackground: false,
    });
    return Buffer.from(pdf).toString("base64");
  },
  problems: () => problems,
};

const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
answer({ value: await browser.version() });
for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  try {
    answer({ value: (await ops[request.op](request)) ?? null });
  } catch (error) {
    answer({ error: String(error.message || error) });
  }
}
await browser.close();
