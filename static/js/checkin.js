// The check-in works without this file. It only adds a live count under the note, so the
// patient sees the limit coming; the server refuses a longer note with a message beside it.
(function () {
  "use strict";
  document.querySelectorAll("[data-note-count]").forEach(function (out) {
    var box = document.getElementById(out.getAttribute("data-note-count"));
    var limit = parseInt(out.getAttribute("data-limit"), 10);
    if (!box || !limit) return;
    var format = function (n) { return n.toLocaleString("en-GB"); };
    var update = function () {
      // Counted as the server counts: characters (not UTF-16 units), a line break sent as two.
      var used = Array.from(box.value.replace(/\r?\n/g, "\r\n")).length;
      var over = used - limit;
      out.textContent = over > 0
        ? " Too long by " + format(over) + " character" + (over === 1 ? "" : "s") + "."
        : " " + format(used) + " of " + format(limit) + " used.";
      out.classList.toggle("note-over", over > 0);
    };
    box.addEventListener("input", update);
    update();
  });
})();
