// Small progressive enhancements. The site works without this file.
(function () {
  "use strict";

  // After an htmx swap that carries an error summary, move focus to it so
  // screen-reader and keyboard users hear what went wrong.
  document.addEventListener("htmx:afterSwap", function (event) {
    var alert = event.detail.target.querySelector("[role=alert][tabindex]");
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
})();
