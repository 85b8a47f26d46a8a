// Small progressive enhancements. The site works without this file.
(function () {
  "use strict";

  // After an htmx swap that carries an error summary, move focus to it so
  // screen-reader and keyboard users hear what went wrong.
  // An outerHTML swap replaces the target, so look in whichever of the target
  // and the event's element is still in the page.
  document.addEventListener("htmx:afterSwap", function (event) {
    var candidates = [event.detail && event.detail.target, event.target];
    for (var i = 0; i < candidates.length; i++) {
      var scope = candidates[i];
      if (!scope || !scope.isConnected || !scope.querySelector) { continue; }
      var alert = scope.matches("[role=alert][tabindex]") ? scope
        : scope.querySelector("[role=alert][tabindex]");
      if (alert) { alert.focus(); }
      return;
    }
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
