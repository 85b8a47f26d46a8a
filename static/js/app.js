// Small progressive enhancements. The site works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

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

  // When htmx replaces the part of the page that holds the focused control (choosing a
  // service or a day in the booking picker, say), put the focus back on the same control
  // in the new content. Otherwise it falls to <body> and a keyboard user starts again
  // from the top of the page.
  var lastFocus = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var el = document.activeElement;
    lastFocus = el && el !== document.body ? {
      id: el.id, name: el.getAttribute("name"), value: el.getAttribute("value"),
      href: el.getAttribute("href")
    } : null;
  });
  function sameControl(was) {
    if (was.id) { return document.getElementById(was.id); }
    if (was.name && was.value !== null) {
      return document.querySelector("[name='" + CSS.escape(was.name) + "'][value='" +
                                    CSS.escape(was.value) + "']:not([type=hidden])");
    }
    if (was.name) {
      return document.querySelector("[name='" + CSS.escape(was.name) + "']:not([type=hidden])");
    }
    if (was.href) { return document.querySelector("a[href='" + CSS.escape(was.href) + "']"); }
    return null;
  }
  document.addEventListener("htmx:afterSettle", function () {
    var was = lastFocus;
    lastFocus = null;
    if (!was || (document.activeElement && document.activeElement !== document.body)) { return; }
    var el = sameControl(was);
    if (el) { el.focus(); }
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

  // --- Booking: the hold countdown. The server decides; this only shows the time left
  // and reloads the page when the hold has run out so the server can say so.
  var timer = null;
  function startCountdowns() {
    var box = document.querySelector("[data-hold-expires]");
    if (timer) { clearInterval(timer); timer = null; }
    if (!box) { return; }
    var until = Date.parse(box.getAttribute("data-hold-expires"));
    var out = box.querySelector("[data-countdown]");
    if (!out || isNaN(until)) { return; }
    out.hidden = false;
    function tick() {
      var left = Math.round((until - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(timer);
        out.textContent = "(time is up)";
        box.classList.add("hold-over");
        setTimeout(function () { window.location.reload(); }, 1500);
        return;
      }
      var m = Math.floor(left / 60), s = left % 60;
      out.textContent = "(" + m + ":" + (s < 10 ? "0" : "") + s + " left)";
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  // --- Booking: the real Stripe card field, only when the page names a real key.
  // Stripe.js comes from js.stripe.com, which the Content-Security-Policy allows
  // only when real keys are configured; offline there is a test-card choice instead.
  function setUpStripe() {
    var form = document.getElementById("payment-form");
    if (!form || !form.getAttribute("data-stripe-key") || form.getAttribute("data-stripe-ready")) { return; }
    form.setAttribute("data-stripe-ready", "1");
    loadStripe(function () {
      var stripe = window.Stripe(form.getAttribute("data-stripe-key"));
      var secret = form.getAttribute("data-client-secret");
      if (secret) {  // the server asked for 3-D Secure: let the bank check, then ask the server again
        stripe.handleNextAction({ clientSecret: secret }).then(function () {
          window.location.assign(form.getAttribute("data-return-url"));
        });
        return;
      }
      var card = stripe.elements().create("card");
      card.mount("#card-element");
      form.addEventListener("submit", function (event) {
        var chosenTestCard = form.querySelector("input[name=card]:checked");
        if (chosenTestCard) { return; }  // test-mode card: the server uses it as is
        event.preventDefault();
        stripe.createPaymentMethod({ type: "card", card: card }).then(function (result) {
          if (result.error) {
            document.getElementById("card-errors").textContent = result.error.message;
            return;
          }
          form.querySelector("input[name=payment_method_id]").value = result.paymentMethod.id;
          form.submit();
        });
      });
    });
  }

  function loadStripe(ready) {
    if (window.Stripe) { ready(); return; }
    var script = document.createElement("script");
    script.src = "https://js.stripe.com/v3/";
    script.onload = ready;
    document.head.appendChild(script);
  }

  function enhance() { startCountdowns(); setUpStripe(); }
  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:afterSettle", enhance);

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
