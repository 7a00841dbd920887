// Every page: the service worker that makes ParsTrack installable and lets a patient check in
// offline (static/js/sw.js, served at /sw.js). Signed out (the sign-in page and other
// anonymous pages), it is told to forget the pages it kept for the last patient.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
    /* no worker (a private window, an old browser): the site works as before */
  });
  if (document.body.hasAttribute("data-signed-out")) {
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "signed-out" });
    });
  }
})();
