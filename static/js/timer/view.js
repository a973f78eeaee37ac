// DOM updates only: the page's markup lives in the template; this fills it in.

export const clockText = (seconds) => {
  const s = Math.max(0, Math.ceil(Number.isFinite(seconds) ? seconds : 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export function createView(root, data) {
  const $ = (name) => root.querySelector(`[data-view="${name}"]`);
  const els = Object.fromEntries(["kind", "count", "title", "side", "clock", "progress", "remaining", "total-time", "finish", "spent", "next", "cues", "live", "stage"].map((n) => [n, $(n)]));
  const buttons = Object.fromEntries([...root.querySelectorAll("[data-action]")].map((b) => [b.dataset.action, b]));
  const set = (el, text) => {
    if (el.textContent !== text) el.textContent = text;
  };
  let shown = null;

  return {
    buttons,
    step(step, i, next) {
      if (shown === step) return;
      shown = step;
      const stretch = data.stretches[step.stretch];
      set(els.kind, step.label);
      set(els.count, step.of > 1 ? `${step.unit} ${step.count} of ${step.of}` : "");
      set(els.title, step.title);
      els.title.href = stretch ? stretch.url : els.title.href;
      set(els.side, step.side || (stretch ? "Both sides at once" : "Easy pace"));
      set(els.next, next ? `${next.title}${next.side ? `, ${next.side}` : ""}${next.of > 1 ? ` (${next.unit} ${next.count} of ${next.of})` : ""}` : "Finish");
      els.cues.replaceChildren(...(stretch ? stretch.cues : []).map((cue) => Object.assign(document.createElement("li"), { textContent: cue })));
      Object.assign(root.dataset, { kind: step.kind, step: i, stretch: stretch ? stretch.slug : "", side: step.side || "" });
    },
    time(left, stepSeconds, routineLeft, routineTotal) {
      // Short steps count plain seconds, easier to read at arm's length than 0:45.
      const t = stepSeconds < 100 ? String(Math.max(0, Math.ceil(left || 0))) : clockText(left);
      set(els.clock, t);
      set(els.remaining, clockText(routineLeft));
      set(els["total-time"], clockText(routineTotal));
      els.progress.value = routineTotal > 0 ? Math.min(1, Math.max(0, 1 - routineLeft / routineTotal)) : 0;
      root.classList.toggle("timer-last3", left <= 3 && left > 0);
    },
    state(state) {
      root.dataset.state = state;
      const toggle = buttons.toggle;
      toggle.textContent = toggle.dataset[{ running: "pause", paused: "resume" }[state] || "start"];
      toggle.setAttribute("aria-pressed", String(state === "running"));
      buttons.toggle.hidden = state === "finished";
      buttons.prev.disabled = buttons.next.disabled = state === "idle" || state === "finished";
      buttons.restart.disabled = state === "idle";
      els.stage.hidden = state === "finished";
      els.finish.hidden = state !== "finished";
    },
    finish(spentSeconds) {
      set(els.spent, clockText(spentSeconds));
      els.finish.focus();
    },
    announce(text) {
      set(els.live, text);
    },
    notes(el, notes) {
      el.hidden = !notes.length;
      set(el, notes.join(" "));
    },
    reset() {
      shown = null;
    },
  };
}

// The settings form mirrors the settings object, both ways.
export function fillForm(form, settings) {
  for (const [name, value] of Object.entries(settings)) {
    const field = form.elements[name];
    if (!field) continue;
    if (field instanceof RadioNodeList) field.value = value;
    else if (field.type === "checkbox") field.checked = value;
    else field.value = value;
  }
}

export function readForm(form) {
  const out = {};
  for (const field of form.elements) {
    if (!field.name || (field.type === "radio" && !field.checked)) continue;
    out[field.name] = field.type === "checkbox" ? field.checked : field.value;
  }
  return out;
}
