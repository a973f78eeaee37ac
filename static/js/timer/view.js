// DOM updates only: the markup lives in the template; this fills it in.
import { nextOf } from "./sequence.js";

export const clockText = (s) => {
  s = Math.max(0, Math.ceil(s) || 0);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export function createView(root, data, say) {
  const el = (name) => root.querySelector(`[data-view="${name}"]`);
  const buttons = {};
  for (const b of root.querySelectorAll("[data-action]")) buttons[b.dataset.action] = b;
  const set = (name, text) => {
    const e = el(name);
    if (e.textContent !== text) e.textContent = text;
  };

  return {
    buttons,
    show(steps, i) {
      this.step(steps[i], i, nextOf(steps, i));
    },
    step(step, i, next) {
      const stretch = data.stretches[step.stretch];
      set("kind", step.wait ? say("timer.your_pace") : step.label);
      set("count", step.round || "");
      set("title", step.title);
      if (stretch) el("title").href = stretch.url;
      set("side", step.side || say(stretch ? "timer.both_sides" : "timer.easy_pace"));
      // The next stretch by name; for the same stretch only what changes (side, rep).
      const parts = next ? [next.stretch !== step.stretch && next.title, next.side, next.round] : [say("timer.finish")];
      const text = parts.filter(Boolean).join(" · ");
      set("next", text[0].toUpperCase() + text.slice(1));
      el("cues").replaceChildren(...(stretch ? stretch.cues : []).map((cue) => Object.assign(document.createElement("li"), { textContent: cue })));
      Object.assign(root.dataset, { kind: step.kind, step: i, stretch: stretch ? stretch.slug : "" });
      for (const f of root.querySelectorAll("[data-figure]")) f.hidden = f.dataset.figure !== root.dataset.stretch;
    },
    time(left, stepSeconds, routineLeft, routineTotal) {
      // Short steps count plain seconds: easier to read at arm's length than 0:45.
      set("clock", stepSeconds < 100 ? String(Math.max(0, Math.ceil(left) || 0)) : clockText(left));
      set("remaining", clockText(routineLeft));
      set("total-time", clockText(routineTotal));
      el("progress").value = Math.min(1, Math.max(0, 1 - routineLeft / routineTotal)) || 0;
      root.classList.toggle("timer-last3", left <= 3);
    },
    state(state) {
      const { toggle, prev, next } = buttons;
      root.dataset.state = state;
      toggle.textContent = toggle.dataset[{ running: "pause", paused: "resume", waiting: "ready" }[state] || "start"];
      prev.disabled = next.disabled = state === "idle";
      // The age group stays in view (nothing jumps at Start); it switches only before.
      for (const b of root.querySelectorAll("[data-action=age]")) b.disabled = state !== "idle";
      root.classList.toggle("timer-started", state !== "idle");
      el("stage").hidden = el("run").hidden = el("preset").hidden = state === "finished";
      el("finish").hidden = state !== "finished";
      if (state !== "paused") this.alert("");
      this.confirm(false);
    },
    // "Under 40: 30 s holds" pressed; one tap on another group switches.
    preset(age) {
      for (const b of root.querySelectorAll("[data-action=age]")) b.setAttribute("aria-pressed", b.dataset.age === age);
    },
    // The offer to pick up a run: a choice to make before anything else.
    resumable(text) {
      el("resume").hidden = !text;
      el("run").hidden = el("preset").hidden = !!text;
      set("resume-where", text || "");
    },
    alert(text) {
      el("alert").hidden = !text;
      set("alert", text);
    },
    confirm(open) {
      el("confirm").hidden = !open;
      buttons.restart.hidden = open;
      if (open) buttons.keep.focus();
    },
    finish(spent) {
      set("spent", clockText(spent));
      el("finish").focus();
    },
    announce: (text) => set("live", text),
  };
}

export function showNotes(note, notes) {
  note.hidden = !notes.length;
  note.textContent = notes.join(" ");
}

// The settings form mirrors the settings object, both ways.
export function fillForm(form, settings) {
  for (const [name, value] of Object.entries(settings)) {
    const field = form.elements[name];
    if (field && field.type === "checkbox") field.checked = value;
    else if (field) field.value = value;
  }
}

export function readForm(form) {
  const out = {};
  for (const f of form.elements) {
    if (f.name && (f.type !== "radio" || f.checked)) out[f.name] = f.type === "checkbox" ? f.checked : f.value;
  }
  return out;
}

// The voices installed for the page's language, as options of `select`.
export function listVoices(select, voices, lang, chosen) {
  const mine = voices.filter((v) => v.lang.toLowerCase().startsWith(lang.toLowerCase()));
  select.replaceChildren(select.options[0], ...mine.map((v) => new Option(v.name, v.name)));
  select.value = mine.some((v) => v.name === chosen) ? chosen : "";
}
