/* The map pages: draws every place of the map as a Leaflet marker.
 *
 * Progressive enhancement: the address list on the page is the content and stays
 * usable without JavaScript or network. The list may be cut into pages; the
 * markers of the whole map (a one-province catalogue, or one province) come from
 * the JSON file named by the map box's data-markers attribute, written by the
 * build next to the map page. Popups are built with DOM text nodes, never from
 * HTML strings, so no data can inject markup. Map tiles come from OpenStreetMap
 * at view time; without network the markers and their links still work on a
 * blank background.
 */
(function () {
  "use strict";
  var box = document.querySelector(".ocop-map-box[data-markers]");
  var el = document.getElementById("ocop-map");
  if (!box || !el || typeof L === "undefined" || !window.fetch || !window.URL) {
    return;
  }
  var source = new URL(box.getAttribute("data-markers"), window.location.href);

  function draw(data) {
    var markers = (data && data.markers) || [];
    if (markers.length === 0) {
      return;
    }
    box.hidden = false;
    var colours = { "point-of-sale": "#b3261e", "producer": "#1b6e3a" };
    var map = L.map(el, { scrollWheelZoom: false, zoomControl: false });
    var t = window.ocopText ? window.ocopText.t : function (message) { return message; };
    L.control.zoom({ zoomInTitle: t("Phóng to"), zoomOutTitle: t("Thu nhỏ") }).addTo(map);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"
    }).addTo(map);

    var bounds = [];
    var byAnchor = {};
    markers.forEach(function (m) {
      var lat = Number(m.lat);
      var lon = Number(m.lon);
      if (!isFinite(lat) || !isFinite(lon) || typeof m.name !== "string") {
        return;
      }
      var href;
      try {
        href = new URL(String(m.url), source);
      } catch (e) {
        return;
      }
      // Only links into this site: the file is ours, but be strict anyway.
      if (href.origin !== window.location.origin) {
        return;
      }
      var kind = m.kind === "producer" ? "producer" : "point-of-sale";
      var marker = L.circleMarker([lat, lon], {
        radius: 8, color: "#fff", weight: 2, fillColor: colours[kind], fillOpacity: 0.9,
        className: "ocop-map-marker ocop-map-marker--" + kind
      });
      var popup = document.createElement("div");
      popup.className = "ocop-map-popup";
      var a = document.createElement("a");
      a.href = href.href;
      a.textContent = m.name;
      popup.appendChild(a);
      [m.label, m.address].forEach(function (text) {
        if (typeof text === "string" && text) {
          var line = document.createElement("div");
          line.textContent = text;
          popup.appendChild(line);
        }
      });
      marker.bindPopup(popup);
      // Leaflet reads a string as HTML: names are staff's text, so a text node.
      var tip = document.createElement("span");
      tip.textContent = m.name;
      marker.bindTooltip(tip);
      marker.addTo(map);
      bounds.push([lat, lon]);
      if (typeof m.anchor === "string") {
        byAnchor[m.anchor] = marker;
      }
    });
    if (bounds.length === 0) {
      box.hidden = true;
      return;
    }
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });

    // Pages link to "<map page>#diem-ban-<id>": open that place's popup on arrival.
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
      window.setTimeout(focusHash, 0);
    } else {
      window.addEventListener("load", function () { window.setTimeout(focusHash, 0); });
    }
  }

  fetch(source.href, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(draw)
    .catch(function () { /* no map: the address list is still there */ });
})();
