// Which stretches the runner's routine holds: all, minus those needing equipment
// they lack, minus any a link skips. Pure. A link (?have=table,step or
// ?skip=calf-stretch) is a coach's preset for the visit; otherwise the device's choice counts.

const list = (v) => (v === null ? null : v.split(",").map((s) => s.trim()).filter(Boolean));

// { without: [equipment ids], skip: [slugs], bad: [unknown names], preset: from the link? }
export function routineChoices(data, search, remembered) {
  const params = new URLSearchParams(search);
  const have = list(params.get("have"));
  const skip = list(params.get("skip")) || [];
  const ids = data.equipment.map((e) => e.id);
  const slugs = data.stretches.map((s) => s.slug);
  return {
    without: have ? ids.filter((e) => !have.includes(e)) : remembered.filter((e) => ids.includes(e)),
    skip: skip.filter((s) => slugs.includes(s)),
    bad: [...(have || []).filter((e) => e !== "none" && !ids.includes(e)), ...skip.filter((s) => !slugs.includes(s))],
    preset: Boolean(have || skip.length),
  };
}

// The stretches left out, with why: [{ slug, title, lacks: [equipment names], skipped }].
export const leftOut = (data, { without, skip }) =>
  data.stretches
    .map((s) => ({ slug: s.slug, title: s.title, lacks: data.equipment.filter((e) => s.needs.includes(e.id) && without.includes(e.id)).map((e) => e.name), skipped: skip.includes(s.slug) }))
    .filter((s) => s.lacks.length || s.skipped);

// The slugs the timer runs, or null for every stretch.
export function included(data, choices) {
  const out = leftOut(data, choices).map((s) => s.slug);
  return out.length ? data.stretches.map((s) => s.slug).filter((slug) => !out.includes(slug)) : null;
}
