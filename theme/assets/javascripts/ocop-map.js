/* The map page: draws the address list (.ocop-marker items) as Leaflet markers.
 *
 * Progressive enhancement: the list is the content and stays usable without
 * JavaScript or network. Markers and popups are built with DOM text nodes from
 * the list itself, never from HTML strings, so no data can inject markup.
 * Map tiles come from OpenStreetMap at view time; without network the markers
 * and their links still work on a blank background.
 */
(function () {
  "use strict";
  var box = document.querySelector(".ocop-map-box");
  var el = document.getElementById("ocop-map");
  var items = document.querySelectorAll(".ocop-marker[data-lat][data-lon]");
  if (!box || !el || typeof L === "undefined" || items.length === 0) {
    return;
  }
  box.hidden = false;

  var colours = { "point-of-sale": "#b3261e", "producer": "#1b6e3a" };
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
  }).addTo(map);

  var bounds = [];
  var byAnchor = {};
  Array.prototype.forEach.call(items, function (li) {
    var lat = parseFloat(li.getAttribute("data-lat"));
    var lon = parseFloat(li.getAttribute("data-lon"));
    var link = li.querySelector("a.ocop-marker__page");
    if (!isFinite(lat) || !isFinite(lon) || !link) {
      return;
    }
    var kind = li.getAttribute("data-kind");
    var colour = colours[kind] || "#333";
    var marker = L.circleMarker([lat, lon], {
      radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9,
      className: "ocop-map-marker ocop-map-marker--" + kind
    });
    var popup = document.createElement("div");
    popup.className = "ocop-map-popup";
    var a = document.createElement("a");
    a.href = link.href;
    a.textContent = link.textContent;
    popup.appendChild(a);
    var label = li.querySelector(".ocop-marker__label");
    var address = li.querySelector(".ocop-marker__address");
    [label, address].forEach(function (node) {
      if (node) {
        var line = document.createElement("div");
        line.textContent = node.textContent;
        popup.appendChild(line);
      }
    });
    marker.bindPopup(popup);
    marker.bindTooltip(link.textContent);
    marker.addTo(map);
    bounds.push([lat, lon]);
    byAnchor[li.id] = marker;
  });
  if (bounds.length === 0) {
    box.hidden = true;
    return;
  }
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });

  // Pages link to "ban-do/#diem-ban-<id>": open that place's popup on arrival.
  function focusHash() {
    var marker = byAnchor[decodeURIComponent(window.location.hash.slice(1))];
    if (marker) {
      map.setView(marker.getLatLng(), 15);
      marker.openPopup();
      el.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("hashchange", focusHash);
  // After the browser's own jump to the list item, so the map wins the scroll.
  if (document.readyState === "complete") {
    focusHash();
  } else {
    window.addEventListener("load", function () { window.setTimeout(focusHash, 0); });
  }
})();
