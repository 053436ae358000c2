/* Progressive enhancement only: every form works without this file. */
document.documentElement.classList.add("js");

document.addEventListener("htmx:afterSettle", function (event) {
  /* Fired on what was swapped in: the target (innerHTML), or the new element that replaced it
     (outerHTML, e.g. the sign-in box), where detail.target would be the old, detached one. */
  var target = event.target;
  if (!target || target.nodeType !== 1) { return; }
  /* Inline validation filled (or emptied) a field's error slot: mark the field to match. */
  if (target.classList.contains("field-error")) {
    var field = target.closest(".field");
    var invalid = target.textContent.trim() !== "";
    field.classList.toggle("field--error", invalid);
    var input = field.querySelector("input, select, textarea");
    if (invalid) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    return;
  }
  /* A panel was swapped: move focus to the first error or the new heading and announce it,
     so keyboard and screen-reader users know what changed. */
  var focus = target.querySelector("[data-focus]") || target.querySelector("h1, h2");
  if (!focus) { return; }
  if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
  focus.focus();
  var announcer = document.getElementById("announcer");
  if (announcer) { announcer.textContent = focus.textContent.replace(/\s+/g, " ").trim(); }
});

/* "Too large to send" (HTTP 413), "try again later" (429) and "try again in a moment" (503)
   answers are messages to show in place, not errors to drop. */
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 413 || status === 429 || status === 503) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
