/* The warning before a session ends for inactivity (partials/_idle_warning.html, rpp/idle.py). Every
   request the page makes counts as activity; a little before the end the warning appears (an alertdialog,
   announced, its button focused) with Stay signed in, which tells the portal and hides it again. At the
   end it says the session ended, with a link to log in. Without this file the session just ends. */
(function () {
  var box = document.getElementById("idle-warning");
  if (!box || !window.fetch) { return; }
  var idle = Number(box.getAttribute("data-idle-seconds")) * 1000;
  var warn = Number(box.getAttribute("data-warn-seconds")) * 1000;
  var form = box.querySelector("form"), warning = box.querySelector("#idle-warning-text");
  var ended = box.querySelector("[data-idle-ended]"), timers = [], returnFocus = null;

  function restart() {
    timers.forEach(clearTimeout);
    box.hidden = true;
    timers = [setTimeout(show, Math.max(idle - warn, 0)), setTimeout(end, idle)];
  }
  function show() {
    returnFocus = document.activeElement;
    box.hidden = false;
    form.querySelector("button").focus();
  }
  function end() {
    warning.hidden = true; form.hidden = true; ended.hidden = false;
    box.hidden = false;
    ended.setAttribute("tabindex", "-1");
    ended.focus();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {method: "POST", credentials: "same-origin", body: new FormData(form), redirect: "manual",
                        headers: {"HX-Request": "true"}})
      .then(function (answer) {
        if (answer.status !== 204) { end(); return; }
        restart();
        if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
      }, end);
  });
  document.addEventListener("htmx:afterRequest", restart);
  restart();
}());
