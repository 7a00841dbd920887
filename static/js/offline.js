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
  var SYMPTOMS = ["leg_numbness", "leg_weakness", "night_pain"];

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

  // ---- The form's answers as the body of PUT /api/me/checkins/{day}/ ----
  function picked(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  function text(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.value.trim() : "";
  }

  function number(value) {
    return value === null || value === "" ? null : Number(value);
  }

  function activities(form) {
    var found = {};
    form.querySelectorAll('input[name="activities"]:checked').forEach(function (box) {
      var pain = picked(form, "pain_" + box.value);
      if (pain !== null) found[box.value] = Number(pain);
    });
    return found;
  }

  function sections(form) {
    var found = {};
    var brace = form.querySelector("[data-brace-target]");
    if (brace) {
      var hours = picked(form, "brace-worn") === "prescribed"
        ? brace.getAttribute("data-brace-target")
        : text(form, "brace-hours");
      found.brace = { hours: hours === "" ? null : Number(hours.replace(",", ".")) };
    }
    var items = text(form, "exercises-items");
    if (items) {
      var all = !!form.querySelector('input[name="exercises-all_done"]:checked');
      var exercises = { items: items };
      items.split(",").forEach(function (id) {
        var done = picked(form, "exercises-done_" + id);
        exercises["done_" + id] = done || (all ? "yes" : null);
        exercises["sets_" + id] = number(text(form, "exercises-sets_" + id));
        exercises["pain_" + id] = number(picked(form, "exercises-pain_" + id));
      });
      found.exercises = exercises;
    }
    return found;
  }

  function formBody(form) {
    var body = {
      pain_now: number(picked(form, "pain_now")),
      pain_worst: number(picked(form, "pain_worst")),
      activities: activities(form),
      pain_reach: picked(form, "pain_reach"),
      pain_side: picked(form, "pain_side"),
      medicine: picked(form, "medicine") || "none",
      medicine_doses: number(text(form, "medicine_doses")) || 0,
      note: text(form, "note"),
      sections: sections(form),
    };
    SYMPTOMS.forEach(function (name) {
      body[name] = !!form.querySelector('input[name="' + name + '"]:checked');
    });
    WARNINGS.forEach(function (name) {
      var answer = picked(form, name);
      body[name] = answer === null ? null : answer === "yes";
    });
    return body;
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
    form.addEventListener("submit", async function (event) {
      // Online the form posts exactly as without JavaScript (same page, same errors, same
      // confirmation); only a phone that knows it is offline keeps the day here instead.
      if (navigator.onLine !== false) return;
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
      render([], "Not saved: you are offline. Please answer " + gaps.join(", ") +
        ", then tap save again.", true);
      return;
    }
    var day = text(form, "day") || text(form, "shown_day");
    await Queue.add({ owner: owner, day: day, body: body, version: text(form, "version") });
    await askForSync();
    await show("");
  }

  function render(items, note, problem) {
    window.ParsTrackOfflineView.render(box, items, note, {
      dayWords: dayWords,
      keepMine: function (item) { return Queue.keepMine(item, csrfToken()).then(after); },
      keepTheirs: function (item) { return Queue.remove(item).then(function () { return show(); }); },
    }, problem);
  }

  async function show(note) {
    render(await Queue.list(owner), note);
  }

  function after(summary) {
    var note = "";
    if (summary.sent === 1) note = "Sent: your check-in saved on this phone has reached ParsTrack.";
    if (summary.sent > 1) {
      note = "Sent: " + summary.sent + " check-ins saved on this phone have reached ParsTrack.";
    }
    return show(note);
  }

  async function send() {
    if (!(await Queue.list(owner)).length) return;
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
  if (checkinForm) hookForm(checkinForm);
  window.addEventListener("online", send);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      // Background Sync sent what was waiting: say so here too.
      if (event.data && event.data.type === "queue-changed") after(event.data.summary || {});
    });
  }
  Queue.ownerSet(owner).then(show).then(function () { if (navigator.onLine) send(); });
})();
