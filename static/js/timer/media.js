// Lock-screen and headphone controls (Media Session): what is playing, and
// play, pause, previous and next. Loaded on the first tap; skipped where the
// browser has no Media Session.
const ACTIONS = { play: "play", pause: "pause", stop: "pause", previoustrack: "prev", nexttrack: "next" };

// `page`: {title, icon (URL), figure(slug) -> SVG text or ""}.
export function createMediaSession(page, run, session = navigator.mediaSession) {
  if (!session) return { show() {}, state() {} };
  for (const [action, name] of Object.entries(ACTIONS)) {
    try {
      session.setActionHandler(action, () => run(name));
    } catch {} // an action this browser does not know
  }
  const art = new Map(); // each stretch's figure as an image, made once
  const artwork = (slug) => {
    if (slug && !art.has(slug)) {
      const svg = page.figure(slug);
      art.set(slug, svg && URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })));
    }
    const figure = art.get(slug);
    return [...(figure ? [{ src: figure, sizes: "512x512", type: "image/svg+xml" }] : []), { src: page.icon, sizes: "512x512", type: "image/svg+xml" }];
  };
  return {
    show(step) {
      if (!globalThis.MediaMetadata) return;
      session.metadata = new MediaMetadata({
        title: [step.title, step.side].filter(Boolean).join(": "),
        artist: step.label,
        album: page.title,
        artwork: artwork(step.slug),
      });
    },
    state(state) {
      session.playbackState = state === "running" ? "playing" : state === "idle" || state === "finished" ? "none" : "paused";
    },
  };
}
