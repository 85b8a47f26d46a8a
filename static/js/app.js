// Small progressive enhancements. The site works without this file.
(function () {
  "use strict";

  // After an htmx swap that carries an error summary, move focus to it so
  // screen-reader and keyboard users hear what went wrong.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelector) { return; }  // a history restore swaps no target
    var alert = target.querySelector("[role=alert][tabindex]");
    if (alert) { alert.focus(); }
  });

  // A network failure (server down, offline) gets a message instead of silence.
  document.addEventListener("htmx:sendError", function () {
    var main = document.getElementById("main");
    if (!main || document.getElementById("network-error")) { return; }
    var p = document.createElement("p");
    p.id = "network-error";
    p.className = "alert alert-error";
    p.setAttribute("role", "alert");
    p.textContent = "We could not reach the server. Check your connection and try again.";
    main.prepend(p);
  });

  // Filter forms marked data-drop-empty leave their blank fields out of the
  // request, so the URL htmx pushes reads /search?near=33701&condition=sciatica
  // rather than listing every empty filter.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("[data-drop-empty]")) { return; }
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") { delete params[key]; }
    });
  });
})();
