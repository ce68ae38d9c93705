/* The menu drawer by keyboard. Its checkbox takes focus on phones and tablets (see
 * ocop.css): Space opens the drawer, and focus then moves to its first link;
 * Escape closes it and returns focus to the menu. Without JavaScript the drawer
 * still opens with Space, its links following the header's in the Tab order. */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !drawer) return;
  toggle.addEventListener("change", function () {
    if (!toggle.checked || !toggle.matches(":focus-visible")) return;
    var first = drawer.querySelector("a[href], input, label[tabindex]");
    // After the slide-in has started: a hidden element cannot take focus.
    if (first) setTimeout(function () { first.focus(); }, 50);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      toggle.focus();
    }
  });
})();
