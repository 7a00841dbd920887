// The signed-in patient's offline check-in (docs/checkin.md, "Offline"). Online, the check-in
// form posts as it always has (and works without this file). When the network is down at
// "Save", the answers become the API's JSON body and wait on this phone
// (static/js/offline-queue.js); they are sent by themselves when the connection returns.
(function () {
  "use strict";
  var Queue = window.ParsTrackQueue;
  var owner = document.body.getAttribute("data-offline-owner");
  var box = document.getElementById("offline-queue");
  if (!Queue || !window.ParsTrackOfflineView || !owner || !box || !window.indexedDB) return;
  var WARNINGS = ["saddle_numbness", "bladder_bowel", "leg_weakness_worse"];

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function dayWords(day) {
    var date = new Date(day + "T12:00:00");
    return date.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
  }

  function text(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.value.trim() : "";
  }

  function formBody(form) {
    return Queue.bodyFromForm(new FormData(form));
  }

  function missing(body) {
    var names = [];
    if (body.pain_now === null) names.push("your back pain now");
    if (body.pain_worst === null) names.push("your worst back pain");
    if (WARNINGS.some(function (name) { return body[name] === null; })) {
      names.push("the safety check");
    }
    var parts = body.sections;
    if (parts.brace && (parts.brace.hours === null || isNaN(parts.brace.hours))) {
      names.push("your brace");
    }
    if (parts.exercises && Object.keys(parts.exercises).some(function (key) {
      return key.indexOf("done_") === 0 && parts.exercises[key] === null;
    })) {
      names.push("each exercise");
    }
    return names;
  }

  async function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    try {
      var registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("parstrack-checkins");
    } catch (error) { /* no Background Sync here: the next open or "online" sends it */ }
  }

  function hookForm(form) {
    var saving = false;
    var posted = false;
    // Back to this page from the next one (the browser's cache): it may be posted again.
    window.addEventListener("pageshow", function () { posted = false; });
    form.addEventListener("submit", async function (event) {
      // Online the form posts exactly as without JavaScript (same page, same errors, same
      // confirmation); only a phone that knows it is offline keeps the day here instead.
      if (navigator.onLine !== false) {
        // A double tap posts once: through the service worker a second post would not replace
        // the first, and would reach the server as a save of a page already saved.
        if (posted) event.preventDefault();
        posted = true;
        return;
      }
      event.preventDefault();
      if (saving) return;  // a double tap keeps one day
      saving = true;
      try {
        await keep(form);
      } finally {
        saving = false;
      }
    });
  }

  async function keep(form) {
    var body = formBody(form);
    var gaps = missing(body);
    if (gaps.length) {
      problem("Not saved: you are offline. Please answer " + gaps.join(", ") +
        ", then tap save again.");
      return;
    }
    var day = text(form, "day") || text(form, "shown_day");
    lastNote = "";
    await Queue.add({ owner: owner, day: day, body: body, version: text(form, "version") });
    await askForSync();
    await show("");
  }

  function problem(note) {
    window.ParsTrackOfflineView.render(box, [], note, { dayWords: dayWords }, true, true);
  }

  var lastNote = "";

  // The queue as it stands; a new note ("Sent: ...") stays until the page changes, so a
  // second sender finding nothing left does not wipe it.
  async function show(note) {
    if (note) lastNote = note;
    var items = await Queue.list(owner);
    window.ParsTrackOfflineView.render(box, items, lastNote, {
      dayWords: dayWords,
      keepMine: function (item) { return Queue.keepMine(item, csrfToken()).then(after); },
      keepTheirs: function (item) { return Queue.remove(item).then(function () { return show(); }); },
    }, false, note !== undefined);
  }

  function after(summary) {
    var note;
    if (summary.sent === 1) note = "Sent: your check-in saved on this phone has reached ParsTrack.";
    if (summary.sent > 1) {
      note = "Sent: " + summary.sent + " check-ins saved on this phone have reached ParsTrack.";
    }
    return show(note);
  }

  async function send() {
    // The worker may have sent it while this page opened: redraw from what is left.
    if (!(await Queue.list(owner)).length) return show();
    await Queue.ownerSet(owner);  // this page is the signed-in owner's, whatever came before
    await after(await Queue.sendAll(owner, csrfToken()));
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (/\/accounts\/logout\/$/.test(form.action)) {
      // Health data on a shared phone: the pages kept for offline go with the sign-out.
      form.addEventListener("submit", function () {
        if (window.caches) caches.delete("parstrack-patient-pages");
        Queue.ownerSet(null);
      });
    }
  });
  var checkinForm = document.getElementById("checkin-form");
  if (checkinForm) {
    // The hours "as prescribed" stands for, posted with the form so that the worker too can
    // turn a post that failed into the API's body (the server ignores the extra field).
    var brace = checkinForm.querySelector("[data-brace-target]");
    if (brace) {
      var target = document.createElement("input");
      target.type = "hidden";
      target.name = Queue.BRACE_TARGET;
      target.value = brace.getAttribute("data-brace-target");
      checkinForm.appendChild(target);
    }
    hookForm(checkinForm);
  }
  window.addEventListener("online", send);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      // Background Sync sent what was waiting: say so here too.
      if (event.data && event.data.type === "queue-changed") after(event.data.summary || {});
    });
  }
  Queue.ownerSet(owner).then(show).then(function () { if (navigator.onLine) send(); });
})();
