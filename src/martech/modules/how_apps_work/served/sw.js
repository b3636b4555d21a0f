// The service worker: a script the browser keeps between visits, which sits between the app and the network.
const SHELL = "shell-v1";
const FILES = ["/", "/app.css", "/app.js", "/manifest.webmanifest", "/icons/icon-192.png"];

// On install: keep a copy of the app shell, the files the app needs to open at all.
self.addEventListener("install", event => {
  event.waitUntil(caches.open(SHELL).then(cache => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", event => {
  const url = new URL(event.request.url);
  if (url.origin !== location.origin || event.request.method !== "GET") return;
  if (url.pathname === "/api/me") {
    // The balance: ask the network first, keep a copy, and fall back to that copy offline.
    event.respondWith(fetch(event.request).then(answer => {
      const copy = answer.clone();
      caches.open("data-v1").then(cache => cache.put("/api/me", copy));
      return answer;
    }).catch(() => caches.match("/api/me").then(kept => {
      if (!kept) throw new Error("offline, nothing kept");
      const headers = new Headers(kept.headers);
      headers.set("X-From-Cache", "yes");
      return kept.blob().then(body => new Response(body, {status: 200, headers}));
    })));
    return;
  }
  // Everything else: the kept copy of the shell first, the network otherwise.
  event.respondWith(caches.match(event.request).then(kept => kept || fetch(event.request)));
});
