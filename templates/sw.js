/* Service worker, written by the build: keeps the whole site working offline.
   {{ outputs | length }} files; version {{ version }} changes with any of them. */
const VERSION = {{ version | tojson }};
const FILES = {{ outputs | tojson }};
const SCOPE = self.registration.scope;
/* Project sites on GitHub Pages share one origin and so one cache storage:
   the scope in the prefix keeps this site from deleting another site's caches. */
const PREFIX = "stretchsite:" + SCOPE + ":";
const CACHE = PREFIX + VERSION;
/* With a weak signal outdoors, wait this long for the network, then use the copy. */
const PATIENCE_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(new URL(f, SCOPE), { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "GET" && request.url.startsWith(SCOPE)) {
    event.respondWith(respond(request));
  }
});

/* Network first, so a fresh build shows at once; the cached copy when the
   network fails or is too slow. The copy is refreshed on every good answer. */
async function respond(request) {
  const network = fetch(request).then((response) => {
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  });
  const slow = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS, null));
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
  } catch (error) {
    /* offline: fall through to the cache */
  }
  const cache = await caches.open(CACHE);
  const copy = await cache.match(request, { ignoreSearch: true });
  return copy || network;
}
