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
    followSummary(target, input);
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

/* The error summary ("There is a problem") follows inline validation: when a field's message comes,
   changes or goes, so does its line in the summary above the form, in the page's order; the box goes
   when its last line does. Focus stays where the producer is, and the field's own error slot (a polite
   live region) is what announces the change: the box said its alert when the page came, so it stops
   being one rather than interrupting again. A page without a summary (no failed Continue) gets none. */
function followSummary(slot, input) {
  var scope = slot, summary = null;
  while (scope && !(summary = scope.querySelector(".error-summary"))) { scope = scope.parentElement; }
  if (!summary || !input.id) { return; }
  var list = summary.querySelector("ul");
  var anchor = "#" + input.id;
  var item = Array.prototype.find.call(list.children, function (li) {
    return li.firstElementChild && li.firstElementChild.getAttribute("href") === anchor;
  });
  var said = slot.cloneNode(true);
  Array.prototype.forEach.call(said.querySelectorAll(".visually-hidden"), function (hidden) { hidden.remove(); });
  var error = said.textContent.replace(/\s+/g, " ").trim();
  summary.removeAttribute("role");
  if (!error) {
    if (item) { item.remove(); }
  } else {
    if (!item) {
      item = document.createElement("li");
      var link = document.createElement("a");
      link.setAttribute("href", anchor);
      item.appendChild(link);
      list.insertBefore(item, lineAfter(list, input));
    }
    var wording = slot.closest("[data-summary-item]");
    item.firstElementChild.textContent = wording ? wording.dataset.summaryItem.replace("{error}", error) : error;
  }
  if (!list.children.length) { summary.remove(); }
}

/* The summary's first line whose field comes after `input` in the page (null: none, so at the end). */
function lineAfter(list, input) {
  return Array.prototype.find.call(list.children, function (li) {
    var target = document.getElementById((li.firstElementChild.getAttribute("href") || "").slice(1));
    return target && (input.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
  }) || null;
}

/* A form that came back from an expired page carries a fresh CSRF token (rpp/errors.py): the requests
   the page sends outside a form (hx-headers on <body>) use it from now on too. */
document.addEventListener("htmx:afterSettle", function (event) {
  var fresh = event.target.querySelector && event.target.querySelector("input[name=csrf_token]");
  if (fresh) { document.body.setAttribute("hx-headers", JSON.stringify({"X-CSRFToken": fresh.value})); }
});

/* Every error answer is a message to show in place, never one to drop. The portal's own answers say
   where: its error panel goes to the main content (HX-Retarget), a form from an expired page comes back
   into its own place. An answer that is not the portal's (empty, or a whole page from a proxy) and a lost
   connection get a message (role="alert") just above the form; its words come from rpp/messages.py. */
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status < 400) { return; }
  event.detail.isError = false;
  var body = xhr.responseText || "";
  event.detail.shouldSwap = body.trim() !== "" && !/^\s*(<!doctype|<html)/i.test(body);
  if (!event.detail.shouldSwap) { showRequestError(event.detail.elt, "noAnswer"); }
});

document.addEventListener("htmx:sendError", function (event) {
  showRequestError(event.detail.elt, "connectionLost");
});

document.addEventListener("htmx:beforeRequest", function () {
  var shown = document.getElementById("request-error");
  if (shown) { shown.remove(); }
});

function showRequestError(element, kind) {
  var alert = document.createElement("div");
  alert.id = "request-error";
  alert.className = "message message--error";
  alert.setAttribute("role", "alert");
  alert.setAttribute("tabindex", "-1");
  alert.textContent = document.body.dataset[kind];
  var place = (element && element.closest("form")) || document.getElementById("main").firstElementChild;
  place.parentNode.insertBefore(alert, place);
  alert.focus();
}

/* The header's menus are <details> (they open and close without JavaScript); with it they also close like
   menus: Escape closes the open one and returns focus to its toggle, and focus leaving it, a click outside
   it or opening the other one closes it. */
function closeMenu(menu, refocus) {
  menu.open = false;
  if (refocus) { menu.querySelector("summary").focus(); }
}

document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") { return; }
  var menu = document.querySelector("details.menu[open]");
  if (menu) { closeMenu(menu, true); }
});

document.addEventListener("focusout", function (event) {
  var menu = event.target.closest && event.target.closest("details.menu[open]");
  if (menu && !(event.relatedTarget && menu.contains(event.relatedTarget))) { closeMenu(menu, false); }
});

document.addEventListener("click", function (event) {
  document.querySelectorAll("details.menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) { closeMenu(menu, false); }
  });
});

document.addEventListener("toggle", function (event) {
  var opened = event.target;
  if (!opened.matches || !opened.matches("details.menu") || !opened.open) { return; }
  document.querySelectorAll("details.menu[open]").forEach(function (menu) {
    if (menu !== opened) { closeMenu(menu, false); }
  });
}, true);

/* Registration: "Same details as <first selected state>". Each further selected state's box names the first
   selected one (in the page's order, as the server counts); ticking it copies that state's details (never
   the Agent Unique ID) into the block at once, and later changes to them follow while it stays ticked;
   changing a copied field unticks it, as the details are then this state's own. Without JavaScript the
   server copies on Continue. */
function sameAsGroup(element) {
  return element && element.closest && element.closest("fieldset.states[data-same-details]");
}

function sameAsFirst(group) {
  var ticked = group.querySelector(".state > .checkbox input:checked");
  return ticked ? ticked.closest(".state") : null;
}

function copyDetails(group, from, to, only) {
  group.getAttribute("data-same-details").split(" ").forEach(function (name) {
    if (only && only !== name) { return; }
    var source = from.querySelector("[name$='-" + name + "']"), target = to.querySelector("[name$='-" + name + "']");
    if (source && target) { target.value = source.value; }
  });
}

function labelSameAs(group) {
  var first = sameAsFirst(group);
  var name = first ? first.querySelector("legend").textContent.trim() : "";
  group.querySelectorAll("[data-same-as]").forEach(function (box) {
    box.hidden = first !== null && box.closest(".state") === first;
    box.querySelector("label").textContent = first ? group.getAttribute("data-same-as-label").replace("{state}", name)
                                                   : group.getAttribute("data-same-as-first-label");
  });
}

function sameAsChanged(event) {
  var target = event.target, group = sameAsGroup(target);
  if (!group || !target.name) { return; }
  var block = target.closest(".state"), first = sameAsFirst(group), field = target.name.split("-")[1];
  if (field === "register") { labelSameAs(group); return; }
  if (field === "same_as") {
    if (target.checked && first && first !== block) { copyDetails(group, first, block); }
    return;
  }
  if (group.getAttribute("data-same-details").split(" ").indexOf(field) < 0) { return; }  /* the Agent Unique ID */
  var box = block.querySelector("[data-same-as] input");
  if (block !== first && box && box.checked && event.isTrusted) { box.checked = false; return; }
  if (block === first) {
    group.querySelectorAll("[data-same-as] input:checked").forEach(function (other) {
      if (other.closest(".state") !== first) { copyDetails(group, first, other.closest(".state"), field); }
    });
  }
}

document.addEventListener("input", sameAsChanged);
document.addEventListener("change", sameAsChanged);
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("fieldset.states[data-same-details]").forEach(labelSameAs);
});
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.target;
  if (root && root.querySelectorAll) { root.querySelectorAll("fieldset.states[data-same-details]").forEach(labelSameAs); }
});
