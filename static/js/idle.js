/* A time limit said before it ends (partials/_idle_warning.html): a session's idle limit (rpp/idle.py),
   where every request the page makes counts as activity, or the Verification Code step's (data-fixed: its
   end does not move). A little before the end the warning appears (an alertdialog, announced, its button
   focused): Stay signed in, or More time, tells the portal and hides it again (data-once: one time only).
   At the end it says so, with a link to log in. Without this file the limit just ends. */
(function () {
  var box = document.getElementById("idle-warning");
  if (!box || !window.fetch) { return; }
  var idle = Number(box.getAttribute("data-idle-seconds")) * 1000;
  var warn = Number(box.getAttribute("data-warn-seconds")) * 1000;
  var period = Number(box.getAttribute("data-period-seconds") || 0) * 1000 || idle;  /* after the button */
  var form = box.querySelector("form"), warning = box.querySelector("#idle-warning-text");
  var ended = box.querySelector("[data-idle-ended]"), timers = [], returnFocus = null;
  var button = form && form.querySelector("button");

  function restart() {
    timers.forEach(clearTimeout);
    box.hidden = true;
    timers = [setTimeout(show, Math.max(idle - warn, 0)), setTimeout(end, idle)];
  }
  function show() {
    returnFocus = document.activeElement;
    box.hidden = false;
    (button && !form.hidden ? button : box).focus();
  }
  function end() {
    warning.hidden = true; ended.hidden = false;
    if (form) { form.hidden = true; }
    box.hidden = false;
    ended.setAttribute("tabindex", "-1");
    ended.focus();
  }
  if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "-1"); }
  if (form) { form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {method: "POST", credentials: "same-origin", body: new FormData(form), redirect: "manual",
                        headers: {"HX-Request": "true"}})
      .then(function (answer) {
        if (answer.status !== 204) { end(); return; }
        if (box.hasAttribute("data-once")) { form.hidden = true; }
        idle = period;
        restart();
        if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
      }, end);
  }); }
  if (!box.hasAttribute("data-fixed")) { document.addEventListener("htmx:afterRequest", restart); }
  restart();
}());
