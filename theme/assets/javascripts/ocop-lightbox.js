// Photo lightbox for product galleries. Without JavaScript each photo is a
// plain link to its largest size; with it, photos open in a modal <dialog>
// (Esc closes, arrow keys move, focus returns to the photo that opened it).
(function () {
  "use strict";
  function init() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.ocop-zoom"));
    if (!links.length || typeof HTMLDialogElement !== "function") return;
    var t = window.ocopText ? window.ocopText.t : function (message) { return message; };
    var dialog = document.createElement("dialog");
    dialog.className = "ocop-lightbox";
    dialog.setAttribute("aria-label", t("Ảnh phóng to"));
    dialog.innerHTML =
      '<img alt="">' +
      '<p class="ocop-lightbox__caption"></p>' +
      '<div class="ocop-lightbox__bar">' +
      '<button type="button" data-step="-1">‹</button>' +
      '<button type="button" data-close>✕</button>' +
      '<button type="button" data-step="1">›</button></div>';
    // Labels set as attributes: translations are text, never markup.
    dialog.querySelector("[data-step='-1']").setAttribute("aria-label", t("Ảnh trước"));
    dialog.querySelector("[data-close]").setAttribute("aria-label", t("Đóng"));
    dialog.querySelector("[data-step='1']").setAttribute("aria-label", t("Ảnh sau"));
    document.body.appendChild(dialog);
    var img = dialog.querySelector("img");
    var caption = dialog.querySelector(".ocop-lightbox__caption");
    var current = 0;
    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var alt = link.querySelector("img").getAttribute("alt") || "";
      img.src = link.href;
      img.alt = alt;
      caption.textContent = alt + (links.length > 1 ? " (" + (current + 1) + "/" + links.length + ")" : "");
      dialog.querySelectorAll("[data-step]").forEach(function (b) { b.hidden = links.length < 2; });
    }
    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(index);
        dialog.showModal();
        dialog.querySelector("[data-close]").focus();
      });
    });
    dialog.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) show(current + Number(step));
      else if (event.target.hasAttribute("data-close") || event.target === dialog) dialog.close();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") show(current + 1);
      if (event.key === "ArrowLeft") show(current - 1);
    });
    dialog.addEventListener("close", function () { links[current].focus(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
