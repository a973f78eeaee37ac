// Fills in the phrases (stretchsite/phrases.py) a page carries as data; `unit`
// applies the one plural rule: the singular for the counts in `plural.one`.
export function phrasebook(table) {
  const say = (key, values = {}) => table[key].replace(/\{(\w+)\}/g, (_, name) => values[name]);
  say.unit = (unit, n) => say(`unit.${unit}.${table["plural.one"].split(",").includes(`${n}`) ? "one" : "other"}`);
  say.count = (n, unit) => say("count", { n, unit: say.unit(unit, n) });
  return say;
}