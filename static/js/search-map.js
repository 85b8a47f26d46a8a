// The search page's map: Leaflet with Leaflet.markercluster, loaded on this page only.
// The list stays the page; the map follows it. Its pins come from the JSON the server
// renders inside the results (#search-map-data), so when htmx swaps the results the map
// redraws from the new block. Selecting a pin highlights (and scrolls to) its card;
// pointing at or focusing a card highlights its pin. Without this file the map box is
// hidden and the list works as it always has.
(function () {
  "use strict";

  // A boosted visit to the search page runs these scripts again: the listeners below
  // already exist, so only draw the new page's map.
  if (window.kneadedSearchMap) { window.kneadedSearchMap.refresh(); return; }

  var ACTIVE_PIN = "map-pin-active";
  var ACTIVE_CARD = "map-card-active";
  var ACCENT = "#a8461c";  // --accent in app.css
  var METRES_PER_MILE = 1609.344;
  var state = null;  // the map on the page now: {L, box, map, cluster, centre, byCard, data}
  var active = null;  // the card id whose pins are highlighted

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function readData() {
    var el = document.getElementById("search-map-data");
    if (!el) { return null; }
    try { return { el: el, value: JSON.parse(el.textContent) }; } catch (e) { return null; }
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : (count < 50 ? "medium" : "large");
    var div = document.createElement("div");
    var number = document.createElement("span");
    number.textContent = String(count);
    number.setAttribute("aria-hidden", "true");
    var words = document.createElement("span");  // what a screen reader says for the button
    words.className = "visually-hidden";
    words.textContent = count + " clinics here: select to zoom in";
    div.appendChild(number);
    div.appendChild(words);
    return L.divIcon({ html: div, className: "marker-cluster marker-cluster-" + size,
                       iconSize: L.point(40, 40) });
  }

  function setUp(box) {
    var canvas = box.querySelector("[data-map-canvas]");
    var note = box.querySelector("[data-map-note]");
    var touch = L.Browser.mobile;
    var map = L.map(canvas, { zoomSnap: 0.5, dragging: !touch, scrollWheelZoom: !touch });
    var tiles = L.tileLayer(box.getAttribute("data-tiles"), {
      attribution: box.getAttribute("data-attribution"), maxZoom: 19, crossOrigin: false
    });
    tiles.on("tileerror", function () { if (note) { note.hidden = false; } });
    tiles.addTo(map);
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 45, iconCreateFunction: clusterIcon
    });
    cluster.on("animationend", showActive);
    map.on("zoomend moveend", showActive);
    map.addLayer(cluster);
    return { L: L, box: box, map: map, cluster: cluster, centre: null, byCard: {}, data: null };
  }

  function popup(clinic, pin) {
    var wrap = document.createElement("div");
    var name = document.createElement("p");
    name.className = "map-popup-name";
    var link = document.createElement("a");
    link.href = clinic.url;
    link.textContent = clinic.name;
    name.appendChild(link);
    var where = document.createElement("p");
    where.className = "muted small";
    where.textContent = pin.label;
    wrap.appendChild(name);
    wrap.appendChild(where);
    return wrap;
  }

  function pinFor(clinic, pin) {
    var marker = L.marker([pin.lat, pin.lng], {
      title: clinic.name, alt: clinic.name + ", " + pin.label, keyboard: true, riseOnHover: true
    });
    marker.bindPopup(popup(clinic, pin), { autoPanPaddingTopLeft: L.point(52, 12),
                                           autoPanPaddingBottomRight: L.point(12, 24) });
    // Its popup opens on a click, a tap, or Enter on the focused pin: each picks out the card.
    marker.on("popupopen", function () { selectCard(clinic.card); });
    return marker;
  }

  function help(box, data) {
    var out = box.querySelector(".search-map-help");
    if (!out) { return; }
    var around = data.centre ? "The dashed circle is " + data.centre.radius_mi + " mile" +
      (data.centre.radius_mi === 1 ? "" : "s") + " around " + data.centre.label + ". " : "";
    out.textContent = around + "Select a pin to find its clinic in the list.";
  }

  function draw(data) {
    var s = state;
    s.cluster.clearLayers();
    if (s.centre) { s.map.removeLayer(s.centre); s.centre = null; }
    s.byCard = {};
    active = null;
    var points = [];
    var markers = [];
    data.clinics.forEach(function (clinic) {
      s.byCard[clinic.card] = clinic.pins.map(function (pin) {
        points.push([pin.lat, pin.lng]);
        var marker = pinFor(clinic, pin);
        markers.push(marker);
        return marker;
      });
    });
    s.box.hidden = markers.length === 0;
    if (!markers.length) { return; }
    var centre = data.centre && [data.centre.lat, data.centre.lng];
    if (centre) { points.push(centre); }
    help(s.box, data);
    s.map.invalidateSize();
    s.map.fitBounds(L.latLngBounds(points), { padding: [28, 28], maxZoom: 14, animate: false });
    s.cluster.addLayers(markers);
    if (centre) {  // the place searched and the distance asked for, once the map has a view
      s.centre = L.layerGroup([
        L.circle(centre, { radius: data.centre.radius_mi * METRES_PER_MILE, weight: 2,
                           dashArray: "6 6", color: ACCENT, fillOpacity: 0.03,
                           interactive: false }),
        L.circleMarker(centre, { radius: 6, weight: 3, color: ACCENT, fillColor: "#ffffff",
                                 fillOpacity: 1, interactive: false })
      ]).addTo(s.map);
    }
  }

  // Which elements show a card's pins now: the pin itself, or the cluster holding it.
  function shownFor(card) {
    if (!state || !state.byCard[card]) { return []; }
    var shown = [];
    state.byCard[card].forEach(function (marker) {
      var visible = state.cluster.getVisibleParent(marker);
      var el = visible && visible.getElement && visible.getElement();
      if (el && shown.indexOf(el) < 0) { shown.push(el); }
    });
    return shown;
  }

  function showActive() {
    if (!state) { return; }
    var old = state.box.querySelectorAll("." + ACTIVE_PIN);
    for (var i = 0; i < old.length; i++) { old[i].classList.remove(ACTIVE_PIN); }
    if (active) { shownFor(active).forEach(function (el) { el.classList.add(ACTIVE_PIN); }); }
  }

  function highlight(card) {
    active = card;
    showActive();
  }

  function selectCard(card) {
    var was = document.querySelectorAll(".result." + ACTIVE_CARD);
    for (var i = 0; i < was.length; i++) { was[i].classList.remove(ACTIVE_CARD); }
    var el = document.getElementById(card);
    if (!el) { return; }
    el.classList.add(ACTIVE_CARD);
    el.scrollIntoView({ block: "nearest", behavior: reducedMotion() ? "auto" : "smooth" });
    highlight(card);
  }

  function refresh() {
    var box = document.getElementById("search-map");
    if (!box) { state = null; return; }
    if (!window.L || !L.markerClusterGroup) { box.hidden = true; return; }  // not loaded
    // A new page (a boosted visit, the back button) brings a new box, and runs Leaflet's
    // script again: a map must be drawn with the Leaflet that made it, so start anew.
    if (!state || state.box !== box || state.L !== L) {
      if (state) { state.map.remove(); }
      state = setUp(box);
    }
    var data = readData();
    if (!data) { box.hidden = true; return; }
    if (data.el === state.data) { return; }  // this block is already drawn
    state.data = data.el;
    draw(data.value);
  }

  function cardOf(node) {
    var card = node && node.closest && node.closest(".result[id]");
    return card && state && state.byCard[card.id] ? card : null;
  }
  function enter(event) {
    var card = cardOf(event.target);
    if (card && active !== card.id) { highlight(card.id); }
  }
  function leave(event) {
    var card = cardOf(event.target);
    if (card && !card.contains(event.relatedTarget)) { highlight(null); }
  }

  document.addEventListener("mouseover", enter);
  document.addEventListener("focusin", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusout", leave);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:historyRestore", refresh);
  window.kneadedSearchMap = { refresh: refresh };
  refresh();
}());
