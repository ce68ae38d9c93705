/* The menu drawer by keyboard. Its checkbox takes focus on phones and tablets (see
 * ocop.css): Space opens the drawer, and focus then moves to its first link;
 * Escape closes it and returns focus to the menu; Tab does not leave it while it
 * is open. Without JavaScript the drawer
 * still opens with Space, its links following the header's in the Tab order. */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var drawer = document.querySelector(".ocop-sidebar");
  if (!toggle || !drawer) return;
  toggle.addEventListener("change", function () {
    if (!toggle.checked || !toggle.matches(":focus-visible")) return;
    var first = drawer.querySelector("a[href], input, label[tabindex]");
    // After the slide-in has started: a hidden element cannot take focus.
    if (first) setTimeout(function () { first.focus(); }, 50);
  });
  // While the drawer covers the page, Tab stays in it: past its last link focus
  // goes round to the first, before the first round to the last (the menu
  // button is under the drawer); Escape leaves.
  var overlay = window.matchMedia("(max-width: 76.234375em)");
  document.addEventListener("focusin", function (event) {
    if (!toggle.checked || !overlay.matches) return;
    var target = event.target, from = event.relatedTarget;
    if (target === toggle || drawer.contains(target)) return;
    var links = drawer.querySelectorAll("a[href]");
    if (!links.length) return;
    var backwards = from && drawer.contains(from) &&
      (target.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING);
    (backwards ? links[links.length - 1] : links[0]).focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      toggle.focus();
    }
  });
})();
