// The search page's map: Leaflet with Leaflet.markercluster, opened on demand. The page
// links neither: its "Show the map" button loads them (the content-hashed files named in
// the box's data-styles and data-scripts), draws the map and becomes "Hide the map". The
// choice is remembered (localStorage), so a client who opened the map gets it at once on
// later visits, after htmx swaps, boosted visits and the back button.
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
  var CHOICE = "kneaded.searchMap";  // "open" once the client asked for the map
  var TILES_FAILED = "The map could not load its images; the list has every result.";
  var LEAFLET_FAILED = "The map could not load; the list has every result.";
  var open = stored();  // the client's choice (kept here too where storage is refused)
  var loading = null;  // callbacks waiting for Leaflet's files, while they load
  var state = null;  // the map on the page now: {L, box, map, cluster, centre, byCard, data}
  var active = null;  // the card id whose pins are highlighted

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function stored() {
    try { return window.localStorage.getItem(CHOICE) === "open"; } catch (e) { return false; }
  }

  function remember(value) {
    open = value;
    try {
      if (value) { window.localStorage.setItem(CHOICE, "open"); }
      else { window.localStorage.removeItem(CHOICE); }
    } catch (e) { /* private browsing: remembered for this page only */ }
  }

  function leafletReady() {
    return !!(window.L && window.L.markerClusterGroup);
  }

  // Leaflet's stylesheets and scripts, injected once (scripts run in order); done(ok)
  // when all have loaded, or at the first that fails. A later try starts the failed anew.
  function loadLeaflet(box, done) {
    if (loading) { loading.push(done); return; }
    loading = [done];
    var finished = false;
    function finish(ok) {
      if (finished) { return; }
      finished = true;
      var waiting = loading;
      loading = null;
      waiting.forEach(function (callback) { callback(ok && leafletReady()); });
    }
    var files = [];
    (box.getAttribute("data-styles") || "").split(/\s+/).forEach(function (href) {
      if (!href) { return; }
      var link = document.querySelector('link[rel="stylesheet"][href="' + href + '"]');
      if (link && link.getAttribute("data-loaded")) { return; }
      if (link) { link.parentNode.removeChild(link); }
      link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      files.push(link);
    });
    (box.getAttribute("data-scripts") || "").split(/\s+/).forEach(function (src) {
      if (!src) { return; }
      var old = document.querySelector('script[src="' + src + '"]');
      if (old) { old.parentNode.removeChild(old); }
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // run in the order listed: Leaflet before its plugin
      files.push(script);
    });
    var left = files.length;
    if (!left) { finish(true); return; }
    files.forEach(function (el) {
      el.addEventListener("load", function () {
        el.setAttribute("data-loaded", "true");
        left -= 1;
        if (!left) { finish(true); }
      });
      el.addEventListener("error", function () { finish(false); });
      document.head.appendChild(el);
    });
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
    clear(canvas);  // a page the back button restores may hold the last map's drawing
    if (note) { note.hidden = true; note.textContent = TILES_FAILED; }
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

  // The canvas as the server sent it: no drawing, none of Leaflet's classes.
  function clear(canvas) {
    if (!canvas) { return; }
    while (canvas.firstChild) { canvas.removeChild(canvas.firstChild); }
    canvas.className = canvas.className.split(/\s+/).filter(function (name) {
      return name.indexOf("leaflet-") !== 0;
    }).join(" ");
    canvas.removeAttribute("tabindex");
  }

  // The map on the page goes: the client closed it, or a new page replaced its box.
  function drop() {
    if (!state) { return; }
    state.map.remove();
    clear(state.box.querySelector("[data-map-canvas]"));
    state = null;
    active = null;
    var was = document.querySelectorAll(".result." + ACTIVE_CARD);
    for (var i = 0; i < was.length; i++) { was[i].classList.remove(ACTIVE_CARD); }
  }

  function showChoice(box) {
    var toggle = box.querySelector("[data-map-toggle]");
    box.classList.toggle("search-map-open", open);
    if (toggle) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "Hide the map" : "Show the map";
    }
  }

  function failed(box) {
    var note = box.querySelector("[data-map-note]");
    if (note) { note.textContent = LEAFLET_FAILED; note.hidden = false; }
  }

  function hasPins(data) {
    return !!(data && data.value && data.value.clinics && data.value.clinics.some(
      function (clinic) { return clinic.pins && clinic.pins.length; }));
  }

  function refresh() {
    var box = document.getElementById("search-map");
    if (state && state.box !== box) { drop(); }  // a new page (a boosted visit, the back button)
    if (!box) { return; }
    var data = readData();
    box.hidden = !hasPins(data);  // nothing to pin: no map and no button
    showChoice(box);
    if (!open) { drop(); return; }
    if (box.hidden) { return; }
    if (!leafletReady()) {
      loadLeaflet(box, function (ok) {
        if (ok) { refresh(); return; }
        var now = document.getElementById("search-map");
        if (now && open) { failed(now); }
      });
      return;
    }
    // Running Leaflet's script again makes a new L: a map must be drawn with the Leaflet
    // that made it, so start anew.
    if (!state || state.L !== L) {
      drop();
      state = setUp(box);
    }
    if (data.el === state.data) { return; }  // this block is already drawn
    state.data = data.el;
    draw(data.value);
  }

  function toggle(event) {
    var button = event.target.closest && event.target.closest("[data-map-toggle]");
    if (!button) { return; }
    remember(button.getAttribute("aria-expanded") !== "true");
    refresh();
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

  document.addEventListener("click", toggle);
  document.addEventListener("mouseover", enter);
  document.addEventListener("focusin", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusout", leave);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:historyRestore", refresh);
  window.kneadedSearchMap = { refresh: refresh };
  refresh();
}());
