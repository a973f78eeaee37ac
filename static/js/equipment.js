// Which stretches this runner's routine holds: every stretch, minus those that
// need equipment they do not have, minus any a link asks to skip. Pure: data in,
// data out. The address (`?have=table,step` or `?skip=calf-stretch`) is a
// coach's preset for this visit; otherwise what the device remembered counts.

const list = (value) => value.split(",").map((v) => v.trim()).filter(Boolean);

// { without: [equipment ids], skip: [slugs], bad: [names of unknown values], preset: bool }
export function routineChoices(data, search, remembered) {
  const params = new URLSearchParams(search);
  const known = data.equipment.map((e) => e.id);
  const slugs = data.stretches.map((s) => s.slug);
  const bad = [];
  let without = remembered.filter((e) => known.includes(e));
  let preset = false;
  if (params.has("have")) {
    const have = list(params.get("have"));
    bad.push(...have.filter((e) => !known.includes(e) && e !== "none"));
    without = known.filter((e) => !have.includes(e));
    preset = true;
  }
  const skip = params.has("skip") ? list(params.get("skip")) : [];
  bad.push(...skip.filter((s) => !slugs.includes(s)));
  preset ||= skip.length > 0;
  return { without, skip: skip.filter((s) => slugs.includes(s)), bad, preset };
}

// The stretches left out, each with why: [{ slug, title, lacks: [equipment names] }].
export function leftOut(data, { without, skip }) {
  const name = (id) => data.equipment.find((e) => e.id === id).name;
  return data.stretches
    .map((s) => ({ slug: s.slug, title: s.title, lacks: s.needs.filter((e) => without.includes(e)).map(name), skipped: skip.includes(s.slug) }))
    .filter((s) => s.lacks.length || s.skipped);
}

// The slugs the timer runs, in routine order.
export const included = (data, choices) => {
  const out = new Set(leftOut(data, choices).map((s) => s.slug));
  return data.stretches.map((s) => s.slug).filter((slug) => !out.has(slug));
};
