// ParsTrack's service worker, served at /sw.js (scope "/") by tracker/views/pwa.py, which puts
// the static URLs of the files below in self.PARSTRACK_FILES. docs/checkin.md ("Offline").
//
// - Pages: network first, always, so a page online is never stale. Only the patient's own
//   pages needed to check in offline (home, the check-in, the diary and its days) are kept,
//   and only answers that came straight from the server for that URL (200, not a redirect to
//   sign in): a clinician or an administrator never gets those URLs with a 200, so nothing of
//   theirs is ever kept. No API answer is cached. The pages' cache is emptied on sign-out.
// - Static files (CSS, JS, icons): from the cache, refreshed in the background.
// - Check-ins saved offline wait in IndexedDB (static/js/offline-queue.js); Background Sync
//   ("sync" below) sends them when the connection returns, where the browser has it; the
//   pages send them too on every open and on the "online" event.
// - Web push ("push" and "notificationclick" at the end): the server's payload is shown as a
//   notification (its words carry no health data), and a tap opens its URL on this site only.
"use strict";

var FILES = self.PARSTRACK_FILES;
importScripts(FILES["workbox-sw"]);
workbox.setConfig({
  debug: false,
  modulePathCb: function (name) { return FILES[name]; },
});
// Loaded now, while installing: a worker may not import scripts later.
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-routing");
workbox.loadModule("workbox-strategies");
importScripts(FILES.idb, FILES.queue);

var PAGES = "parstrack-patient-pages";
var STATIC = "parstrack-static";
var SYNC_TAG = "parstrack-checkins";
// The patient's own pages that open offline (tracker/app_urls.py).
var OFFLINE_PAGES = [/^\/me\/$/, /^\/checkin\/$/, /^\/diary\/$/, /^\/diary\/\d{4}-\d{2}-\d{2}\/$/];

workbox.core.clientsClaim();
self.skipWaiting();

var onlyStraightAnswers = {
  cacheWillUpdate: async function (details) {
    var response = details.response;
    return response && response.status === 200 && !response.redirected ? response : null;
  },
};

workbox.routing.registerRoute(
  function (options) {
    var url = options.url;
    return options.request.mode === "navigate" && url.origin === self.location.origin &&
      OFFLINE_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
  },
  new workbox.strategies.NetworkFirst({ cacheName: PAGES, plugins: [onlyStraightAnswers] })
);

// The installed app opens at "/", which sends a patient to /me/: offline, open the kept home.
workbox.routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.origin === self.location.origin &&
      options.url.pathname === "/";
  },
  async function (options) {
    try {
      return await fetch(options.request);
    } catch (error) {
      var home = await caches.match("/me/", { cacheName: PAGES });
      if (home) return home;
      throw error;
    }
  }
);

workbox.routing.registerRoute(
  function (options) {
    return options.url.origin === self.location.origin &&
      options.url.pathname.indexOf("/static/") === 0;
  },
  new workbox.strategies.StaleWhileRevalidate({ cacheName: STATIC, plugins: [onlyStraightAnswers] })
);

// The check-in posted while the phone thinks it is online but the network fails (a weak
// signal): keep it as the page would have (static/js/offline.js), rather than the browser's
// "No internet" page and the answers lost. The post itself goes to the server untouched.
var SAVED_PAGE = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
  "<title>Saved on this phone · ParsTrack</title></head><body><main>" +
  "<h1>Saved on this phone</h1><p>Saved on this phone. It will be sent when you are back " +
  "online.</p><p><a href=\"/me/\">Home</a></p></main></body></html>";

async function keepFailedCheckin(request, error) {
  var owner = await ParsTrackQueue.ownerGet();
  if (!owner) throw error;
  var form = await request.formData();
  await ParsTrackQueue.add({
    owner: owner,
    day: ParsTrackQueue.dayFromForm(form),
    body: ParsTrackQueue.bodyFromForm(form),
    version: form.get("version") || "",
  });
  if (self.registration.sync) {
    self.registration.sync.register(SYNC_TAG).catch(function () {});
  }
  // The kept home shows what waits (offline-view.js); without one, a page that says so.
  if (await caches.match("/me/", { cacheName: PAGES })) return Response.redirect("/me/", 303);
  return new Response(SAVED_PAGE, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'self'; script-src 'self'; object-src 'none'",
    },
  });
}

workbox.routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.origin === self.location.origin &&
      options.url.pathname === "/checkin/";
  },
  async function (options) {
    var copy = options.request.clone();
    try {
      return await fetch(options.request);
    } catch (error) {
      // A post the page itself cancelled (it navigated away first) is no network failure:
      // keeping it would queue a copy of a day the server may already have.
      if (error && error.name === "AbortError") throw error;
      return keepFailedCheckin(copy, error);
    }
  },
  "POST"
);

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "signed-out") {
    // Sign-out (or a sign-in page after the session ended): forget the last patient's pages,
    // and send nothing queued until its owner signs in again (offline-queue.js, "owner").
    event.waitUntil(Promise.all([caches.delete(PAGES), ParsTrackQueue.ownerSet(null)]));
  }
});

async function csrfToken() {
  // The worker cannot read document.cookie; the Cookie Store API (Chromium) can.
  if (!self.cookieStore) return null;
  var cookie = await self.cookieStore.get("csrftoken");
  return cookie ? cookie.value : null;
}

async function sendQueued() {
  var owner = await ParsTrackQueue.ownerGet();
  var token = await csrfToken();
  if (!owner || !token) return;  // the next page open sends it
  var summary = await ParsTrackQueue.sendAll(owner, token);
  var clients = await self.clients.matchAll({ type: "window" });
  clients.forEach(function (client) { client.postMessage({ type: "queue-changed", summary: summary }); });
  if (summary.offline) throw new Error("still offline");  // the browser retries the sync later
}

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) event.waitUntil(sendQueued());
});

// Web push (tracker/services/web_push.py): {title, body, url, tag}. A payload that cannot be
// read still shows a plain notification: a browser may drop the push permission of a worker
// that receives a push and shows nothing.
var PUSH_DEFAULT = { title: "ParsTrack", body: "Open ParsTrack.", url: "/", tag: "parstrack" };

function pushPayload(event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  return Object.assign({}, PUSH_DEFAULT, data && typeof data === "object" ? data : {});
}

// Only a path on this site is opened; anything else opens the home page.
function sameOriginUrl(url) {
  try {
    var target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", function (event) {
  var payload = pushPayload(event);
  event.waitUntil(self.registration.showNotification(String(payload.title), {
    body: String(payload.body),
    tag: String(payload.tag),
    icon: FILES.icon,
    badge: FILES.icon,
    data: { url: sameOriginUrl(payload.url) },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = sameOriginUrl(event.notification.data && event.notification.data.url);
  event.waitUntil((async function () {
    var windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    var mine = windows.find(function (client) {
      return new URL(client.url).origin === self.location.origin;
    });
    if (mine) {
      var focused = await mine.focus();
      return (focused || mine).navigate ? (focused || mine).navigate(url) : null;
    }
    return self.clients.openWindow(url);
  })());
});
