// Check-ins saved on this phone while offline, and sending them (docs/checkin.md, "Offline").
// Shared by the pages (static/js/offline.js) and the service worker (static/js/sw.js); needs
// idb (node_modules/idb/build/umd.js) loaded first. Each check-in is kept in IndexedDB under
// "<user id>:<day>" until PUT /api/me/checkins/{day}/ has stored it; a newer save of the same
// day replaces the older one. Only the user who saved it sends it (the owner, below), so a
// second person signing in on a shared phone never sends someone else's day.
(function (root) {
  "use strict";
  var DB_NAME = "parstrack-offline";
  var STORE = "checkins";
  var META = "meta";
  var LOCK = "parstrack-checkins";
  // What a queued day is waiting for: the network, a sign-in, or the patient's choice.
  var WAITING = "waiting";
  var SIGN_IN = "sign-in";
  var CONFLICT = "conflict";
  var REFUSED = "refused";

  function open() {
    return root.idb.openDB(DB_NAME, 1, {
      upgrade: function (db) {
        db.createObjectStore(STORE, { keyPath: "key" });
        db.createObjectStore(META);
      },
    });
  }

  function withLock(work) {
    // The page and the worker may both try to send: one at a time, so no day is sent twice.
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(LOCK, work);
    }
    return work();
  }

  // ---- The check-in form's fields (a FormData) as the body of PUT /api/me/checkins/{day}/ ----
  var BRACE_TARGET = "offline_brace_target";
  var WARNINGS = ["saddle_numbness", "bladder_bowel", "leg_weakness_worse"];
  var SYMPTOMS = ["leg_numbness", "leg_weakness", "night_pain"];

  function value(form, name) {
    var found = form.get(name);
    return found === null ? null : String(found).trim();
  }

  function number(found) {
    return found === null || found === "" ? null : Number(String(found).replace(",", "."));
  }

  function sectionsFromForm(form) {
    var found = {};
    if (form.has(BRACE_TARGET) || form.has("brace-hours")) {
      var hours = value(form, "brace-worn") === "prescribed" && form.has(BRACE_TARGET)
        ? value(form, BRACE_TARGET)
        : value(form, "brace-hours");
      found.brace = { hours: number(hours) };
    }
    var items = value(form, "exercises-items");
    if (items) {
      var all = form.has("exercises-all_done");
      var exercises = { items: items };
      items.split(",").forEach(function (id) {
        exercises["done_" + id] = value(form, "exercises-done_" + id) || (all ? "yes" : null);
        exercises["sets_" + id] = number(value(form, "exercises-sets_" + id));
        exercises["pain_" + id] = number(value(form, "exercises-pain_" + id));
      });
      found.exercises = exercises;
    }
    return found;
  }

  function bodyFromForm(form) {
    var activities = {};
    form.getAll("activities").forEach(function (name) {
      var pain = number(value(form, "pain_" + name));
      if (pain !== null) activities[name] = pain;
    });
    var body = {
      pain_now: number(value(form, "pain_now")),
      pain_worst: number(value(form, "pain_worst")),
      activities: activities,
      pain_reach: value(form, "pain_reach"),
      pain_side: value(form, "pain_side"),
      // Left alone, medicine and the symptoms are "not answered" (null), as the page saves them.
      medicine: value(form, "medicine") || null,
      medicine_doses: number(value(form, "medicine_doses")) || 0,
      note: value(form, "note") || "",
      sections: sectionsFromForm(form),
    };
    var symptomsAnswered = form.has("no_symptoms") || SYMPTOMS.some(function (n) { return form.has(n); });
    SYMPTOMS.forEach(function (name) { body[name] = symptomsAnswered ? form.has(name) : null; });
    WARNINGS.forEach(function (name) {
      var answer = value(form, name);
      body[name] = answer === null ? null : answer === "yes";
    });
    return body;
  }

  function dayFromForm(form) {
    return value(form, "day") || value(form, "shown_day");
  }

  async function ownerGet() {
    return (await open()).get(META, "owner");
  }

  async function ownerSet(owner) {
    var db = await open();
    if (owner) await db.put(META, String(owner), "owner");
    else await db.delete(META, "owner");
  }

  async function add(item) {
    var db = await open();
    var entry = {
      key: item.owner + ":" + item.day,
      owner: String(item.owner),
      day: item.day,
      body: item.body,
      version: item.version || "",
      queuedAt: Date.now(),
      status: WAITING,
      detail: null,
    };
    await db.put(STORE, entry);
    return entry;
  }

  async function list(owner) {
    var all = await (await open()).getAll(STORE);
    return all
      .filter(function (item) { return item.owner === String(owner); })
      .sort(function (a, b) { return a.queuedAt - b.queuedAt; });
  }

  async function update(item, changes) {
    var db = await open();
    var current = await db.get(STORE, item.key);
    if (!current) return null;
    Object.assign(current, changes);
    await db.put(STORE, current);
    return current;
  }

  async function remove(item) {
    await (await open()).delete(STORE, item.key);
  }

  function scalarsMatch(sent, current) {
    // A 412 whose stored day already holds what was sent: an earlier send reached the
    // server but its answer was lost. Compare what both bodies name.
    if (!current) return false;
    var keys = Object.keys(sent).filter(function (k) {
      return k !== "exercises" && k in current;
    });
    return keys.every(function (k) {
      return JSON.stringify(sent[k]) === JSON.stringify(current[k]);
    });
  }

  async function sendOne(item, csrfToken) {
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (csrfToken) headers["X-CSRFToken"] = csrfToken;
    if (item.version) headers["If-Match"] = '"' + item.version + '"';
    var response;
    try {
      response = await fetch("/api/me/checkins/" + item.day + "/", {
        method: "PUT",
        credentials: "same-origin",
        cache: "no-store",
        headers: headers,
        body: JSON.stringify(item.body),
      });
    } catch (error) {
      return { outcome: "offline" };
    }
    var data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (response.status === 200 || response.status === 201) return { outcome: "sent", data: data };
    if (response.status === 401 || response.status === 403) return { outcome: SIGN_IN };
    if (response.status === 412) {
      if (data && scalarsMatch(data.sent || {}, data.current)) return { outcome: "sent", data: data };
      return { outcome: CONFLICT, data: data };
    }
    if (response.status === 400) return { outcome: REFUSED, data: data };
    return { outcome: "later" };  // 404 (no longer a patient), 429, 5xx: keep it, try later
  }

  // Send every waiting day of this owner, oldest first. Stops at the first network failure or
  // sign-in problem (later days wait behind it, so they arrive in order).
  async function sendAll(owner, csrfToken) {
    return withLock(async function () {
      var summary = { sent: 0, waiting: 0, signIn: false, offline: false };
      if (!owner || (await ownerGet()) !== String(owner)) return summary;
      var items = await list(owner);
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (item.status === CONFLICT || item.status === REFUSED) continue;
        var result = await sendOne(item, csrfToken);
        if (result.outcome === "sent") {
          await remove(item);
          summary.sent += 1;
          continue;
        }
        if (result.outcome === CONFLICT || result.outcome === REFUSED) {
          await update(item, { status: result.outcome, detail: result.data });
          continue;
        }
        if (result.outcome === SIGN_IN) {
          summary.signIn = true;
          for (var j = i; j < items.length; j++) {
            if (items[j].status === WAITING) await update(items[j], { status: SIGN_IN });
          }
        }
        summary.offline = result.outcome === "offline";
        break;
      }
      summary.waiting = (await list(owner)).length;
      return summary;
    });
  }

  // The patient chose their own answers over the day as stored now: send them over it.
  async function keepMine(item, csrfToken) {
    var etag = (item.detail && item.detail.current_etag) || "";
    await update(item, { status: WAITING, version: etag.replace(/^"|"$/g, ""), detail: null });
    return sendAll(item.owner, csrfToken);
  }

  root.ParsTrackQueue = {
    BRACE_TARGET: BRACE_TARGET,
    bodyFromForm: bodyFromForm,
    dayFromForm: dayFromForm,
    WAITING: WAITING,
    SIGN_IN: SIGN_IN,
    CONFLICT: CONFLICT,
    REFUSED: REFUSED,
    ownerGet: ownerGet,
    ownerSet: ownerSet,
    add: add,
    list: list,
    remove: remove,
    sendAll: sendAll,
    keepMine: keepMine,
  };
})(self);
