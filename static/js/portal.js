/* Progressive enhancement only: every form works without this file. */
document.documentElement.classList.add("js");

/* After htmx swaps a panel (not a single field), move focus to the first error or the new
   heading and announce it, so keyboard and screen-reader users know what changed. */
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  if (!target || target.classList.contains("field")) { return; }
  var focus = target.querySelector("[data-focus]") || target.querySelector("h1, h2");
  if (!focus) { return; }
  if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
  focus.focus();
  var announcer = document.getElementById("announcer");
  if (announcer) { announcer.textContent = focus.textContent.replace(/\s+/g, " ").trim(); }
});
