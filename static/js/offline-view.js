// What the patient sees of the check-ins saved on this phone (static/js/offline.js): the
// plain promise while one waits, a sign-in request, and the choice when the day was changed
// on ParsTrack meanwhile. Built with DOM methods only (no HTML from data).
(function () {
  "use strict";
  var SAVED = "Saved on this phone. It will be sent when you are back online.";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(label, className, action) {
    var node = el("button", "button " + className, label);
    node.type = "button";
    node.addEventListener("click", function () {
      node.disabled = true;
      action();
    });
    return node;
  }

  function yesNo(value) {
    if (value === null || value === undefined) return "not answered";
    return value ? "yes" : "no";
  }

  // A day's answers in a few lines, for either side of a choice: the sent body's snapshot or
  // the day as stored (the API's CheckinSerializer); both name the same fields.
  function lines(day) {
    if (!day) return ["Nothing saved for this day."];
    var out = ["Back pain now: " + day.pain_now + "/10", "Worst back pain: " + day.pain_worst + "/10"];
    var did = Object.keys(day.activities || {});
    if (did.length) out.push("What you did: " + did.join(", ").replace(/_/g, " "));
    if (day.brace_hours !== null && day.brace_hours !== undefined) {
      out.push("Brace: " + day.brace_hours + " hours");
    }
    var exercises = day.exercises || [];
    if (exercises.length) {
      var done = exercises.filter(function (e) { return e.done; }).length;
      out.push("Exercises done: " + done + " of " + exercises.length);
    }
    var signs = day.saddle_numbness || day.bladder_bowel || day.leg_weakness_worse;
    out.push("Safety check: " + (signs ? "a warning sign" : "no warning signs"));
    out.push("Night pain: " + yesNo(day.night_pain));
    if (day.note) out.push("Note: " + day.note);
    return out;
  }

  function side(title, day) {
    var part = el("div", "offline-side");
    part.appendChild(el("h3", "", title));
    var list = el("ul");
    lines(day).forEach(function (line) { list.appendChild(el("li", "", line)); });
    part.appendChild(list);
    return part;
  }

  function conflict(item, words, actions) {
    var node = el("div", "offline-item offline-conflict");
    node.appendChild(el("p", "", "Your check-in for " + words + " was changed on ParsTrack " +
      "after you saved it on this phone. Which one do you want to keep?"));
    var both = el("div", "offline-both");
    both.appendChild(side("Saved on this phone", item.detail.sent));
    both.appendChild(side("On ParsTrack now", item.detail.current));
    node.appendChild(both);
    var choose = el("div", "offline-actions");
    choose.appendChild(button("Keep the one from this phone", "button-primary", function () {
      actions.keepMine(item);
    }));
    choose.appendChild(button("Keep the one on ParsTrack", "", function () {
      actions.keepTheirs(item);
    }));
    node.appendChild(choose);
    return node;
  }

  // Every message in a 400 answer, however deep the API nests them (sections.brace.hours).
  function messages(detail) {
    if (typeof detail === "string") return [detail];
    if (!detail || typeof detail !== "object") return [];
    return Object.keys(detail).reduce(function (all, key) {
      return all.concat(messages(detail[key]));
    }, []);
  }

  function refused(item, words, actions) {
    var node = el("div", "offline-item offline-refused");
    node.appendChild(el("p", "", "Your check-in for " + words + " saved on this phone could " +
      "not be sent. ParsTrack said:"));
    var list = el("ul");
    messages(item.detail).forEach(function (message) { list.appendChild(el("li", "", message)); });
    node.appendChild(list);
    node.appendChild(button("Remove it from this phone", "", function () { actions.keepTheirs(item); }));
    return node;
  }

  function waiting(item, words) {
    var node = el("div", "offline-item");
    var signIn = item.status === "sign-in";
    node.appendChild(el("p", "offline-lead", signIn
      ? "Saved on this phone, not sent yet: please sign in again, and it will be sent."
      : SAVED));
    node.appendChild(el("p", "", "Your check-in for " + words + "."));
    if (signIn) {
      var link = el("a", "", "Sign in");
      link.href = "/accounts/login/?next=/me/";
      node.appendChild(link);
    }
    return node;
  }

  function render(box, items, note, actions, problem, focus) {
    box.replaceChildren();
    if (note) box.appendChild(el("p", problem ? "offline-note offline-problem" : "offline-note", note));
    items.forEach(function (item) {
      var words = actions.dayWords(item.day);
      if (item.status === "conflict" && item.detail) box.appendChild(conflict(item, words, actions));
      else if (item.status === "refused") box.appendChild(refused(item, words, actions));
      else box.appendChild(waiting(item, words));
    });
    box.hidden = !box.childNodes.length;
    if (!box.hidden && focus) {
      box.scrollIntoView({ block: "start" });
      box.focus();
    }
  }

  window.ParsTrackOfflineView = { render: render, SAVED: SAVED };
})();
