// Installed before the timer page's own scripts (Playwright add_init_script),
// on Playwright's fake clock. Records every utterance, tone and media play in
// window.__log, each with its time (ms on the page clock):
//   {type: "say", text, t, end, cut}   speech, its duration simulated from its
//                                       word count, with start and end events
//   {type: "beep", hz, t, end}          one oscillator of a Web Audio tone
//   {type: "media", t, muted, src}      an <audio> element asked to play
//   {type: "cancel", t}                 speechSynthesis.cancel() while speaking
// Speech runs slower than the timer's own estimate on purpose (0.45 s a word
// plus 0.3 s), so a gap that trusted the estimate instead of the end event
// would show up as an overlap.
(() => {
  const log = (window.__log = []);
  const WORD_MS = Number(sessionStorage.getItem("test:word-ms") || 450);
  class Utterance extends EventTarget {
    constructor(text) {
      super();
      this.text = text;
      this.rate = 1;
    }
  }
  class Synth extends EventTarget {
    constructor() {
      super();
      this.queue = [];
      this.current = null;
    }
    get speaking() {
      return !!this.current;
    }
    get pending() {
      return this.queue.length > 0;
    }
    speak(u) {
      this.queue.push(u);
      if (!this.current) this.next();
    }
    next() {
      const u = this.queue.shift();
      this.current = u || null;
      if (!u) return;
      const words = u.text.split(/\s+/).filter(Boolean).length;
      const entry = { type: "say", text: u.text, t: Date.now(), rate: u.rate, voice: u.voice ? u.voice.name : "" };
      if (words) log.push(entry);
      this.entry = entry;
      u.dispatchEvent(new Event("start"));
      this.timer = setTimeout(() => {
        entry.end = Date.now();
        this.current = null;
        u.dispatchEvent(new Event("end"));
        this.next();
      }, words ? (words * WORD_MS + 300) / (u.rate || 1) : 0);
    }
    cancel() {
      if (this.current && this.entry.text) {
        log.push({ type: "cancel", t: Date.now(), text: this.entry.text });
        if (!this.entry.end) Object.assign(this.entry, { end: Date.now(), cut: true });
      }
      clearTimeout(this.timer);
      this.queue = [];
      this.current = null;
    }
    getVoices() {
      return [
        { name: "Test English", lang: "en-GB" },
        { name: "Test Other English", lang: "en-US" },
        { name: "Test French", lang: "fr-FR" },
      ];
    }
  }
  Object.defineProperty(window, "speechSynthesis", { value: new Synth(), configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
  if (window.OscillatorNode) {
    const start = OscillatorNode.prototype.start;
    const stop = OscillatorNode.prototype.stop;
    OscillatorNode.prototype.start = function (when = 0) {
      this.__entry = { type: "beep", hz: this.frequency.value, t: Date.now() + Math.max(0, when - this.context.currentTime) * 1000 };
      log.push(this.__entry);
      return start.call(this, when);
    };
    OscillatorNode.prototype.stop = function (when = 0) {
      if (this.__entry) this.__entry.end = Date.now() + Math.max(0, when - this.context.currentTime) * 1000 - 50;
      return stop.call(this, when);
    };
  }
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    log.push({ type: "media", t: Date.now(), muted: this.muted, src: this.currentSrc || this.src });
    window.__media = this;
    return play.call(this);
  };
  // Steps and the finish, as the page reports them.
  window.__steps = [];
  window.__finish = null;
  document.addEventListener("timer:step", (e) => window.__steps.push({ ...e.detail, t: Date.now() }));
  document.addEventListener("timer:finish", (e) => (window.__finish = e.detail));
})();
