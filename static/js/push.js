// Turning notifications on and off in this browser (templates/tracker/push/_control.html):
// ask permission, subscribe through the service worker's pushManager with the server's VAPID
// key, and post the subscription (CSRF in a header) for the server to keep; or the reverse.
// Where the browser has no Push API, or permission is refused, the page says so and email is
// used. docs/reminders.md ("Push").
(function () {
  "use strict";
  var box = document.getElementById("push-control");
  if (!box) return;
  var status = box.querySelector("[data-push-status]");
  var onButton = box.querySelector("[data-push-on]");
  var offButton = box.querySelector("[data-push-off]");
  var where = box.dataset.where;
  var known = JSON.parse(document.getElementById("push-endpoints").textContent);
  var DENIED = "Notifications are blocked for ParsTrack in this browser's settings, so email is " +
    "used. Allow them there to turn them on.";

  function say(text) { status.textContent = text; }

  function show(on) {
    onButton.hidden = on;
    offButton.hidden = !on;
    say(on ? "Notifications are on for this " + where + "." :
      "Notifications are off for this " + where + ".");
  }

  var supported = "serviceWorker" in navigator && "PushManager" in window &&
    "Notification" in window;
  if (!supported) {
    say("This browser cannot show notifications from ParsTrack, so email is used.");
    return;
  }

  function keyBytes(base64url) {
    var base64 = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, wanted) {
    var key = subscription.options && subscription.options.applicationServerKey;
    if (!key) return false;
    var have = new Uint8Array(key);
    return have.length === wanted.length && have.every(function (b, i) { return b === wanted[i]; });
  }

  async function post(url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
      body: JSON.stringify(body),
    });
    var data = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      throw new Error(data.message || "ParsTrack could not save this (error " + response.status + ").");
    }
    return data;
  }

  // A worker that never becomes ready (a private window) must not leave the page waiting.
  function registration() {
    var late = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("no service worker")); }, 8000);
    });
    return Promise.race([navigator.serviceWorker.ready, late]);
  }

  async function turnOn() {
    onButton.disabled = true;
    try {
      say("Asking this browser to allow notifications…");
      var permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(permission === "denied" ? DENIED : "Notifications were not allowed, so email is used.");
        return;
      }
      var key = keyBytes(box.dataset.vapidKey);
      var manager = (await registration()).pushManager;
      var existing = await manager.getSubscription();
      // Made with another key (the server's keys changed): it cannot be used, make a new one.
      if (existing && !sameKey(existing, key)) await existing.unsubscribe();
      var subscription = await manager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      var data = await post(box.dataset.subscribeUrl, subscription.toJSON());
      known.push(subscription.endpoint);
      show(true);
      var push = document.querySelector("input[name=channel][value=push]");
      say(data.message + (push && !push.checked ?
        " To get your reminders here, choose \u201cNotification on this phone\u201d below and save." : ""));
    } catch (error) {
      say("Notifications could not be turned on in this browser (" + error.message + "). Email is used.");
    } finally {
      onButton.disabled = false;
    }
  }

  async function turnOff() {
    offButton.disabled = true;
    try {
      var subscription = await (await registration()).pushManager.getSubscription();
      var message = "Notifications are off for this " + where + ".";
      if (subscription) {
        message = (await post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint })).message;
        await subscription.unsubscribe();
      }
      show(false);
      say(message);
    } catch (error) {
      say("Notifications could not be turned off (" + error.message + ").");
    } finally {
      offButton.disabled = false;
    }
  }

  onButton.addEventListener("click", turnOn);
  offButton.addEventListener("click", turnOff);
  if (Notification.permission === "denied") {
    say(DENIED);
    return;
  }
  // On only if the server keeps this browser's subscription, made with the server's key (after
  // the keys change, the browser must turn notifications on again: docs/operations.md).
  registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(
    function (subscription) {
      show(!!subscription && known.indexOf(subscription.endpoint) >= 0 &&
        sameKey(subscription, keyBytes(box.dataset.vapidKey)));
    },
    function () { say("Notifications are not available in this browser; email is used."); }
  );
})();
