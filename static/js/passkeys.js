/* Passkeys (WebAuthn), only where the browser has them: shows what the pages keep hidden for such a
   browser ([data-passkey-adding]: Add a Passkey), fills the placeholders they leave ([data-passkeys-url]:
   the sign-in button) and talks JSON to the portal. Remove is a plain form (htmx in place). */
(function () {
  if (!window.PublicKeyCredential || !window.fetch || !navigator.credentials || !window.htmx) { return; }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }
  function toText(buffer) {
    var binary = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin", body: JSON.stringify(body || {}),
                       headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "HX-Request": "true"}});
  }
  function credentialJSON(credential) {
    var r = credential.response, response = {clientDataJSON: toText(r.clientDataJSON)};
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = r.userHandle ? toText(r.userHandle) : null;
    }
    return {id: credential.id, rawId: toText(credential.rawId), type: credential.type, response: response,
            clientExtensionResults: credential.getClientExtensionResults()};
  }
  function publicKey(options) {
    options.challenge = toBytes(options.challenge);
    if (options.user) { options.user.id = toBytes(options.user.id); }
    (options.excludeCredentials || []).concat(options.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return options;
  }
  function fill(root) {
    root.querySelectorAll("[data-passkeys-url]").forEach(function (slot) {
      fetch(slot.getAttribute("data-passkeys-url"), {credentials: "same-origin", headers: {"HX-Request": "true"}})
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (html) { if (html) { slot.innerHTML = html; slot.hidden = false; } });
    });
  }
  function reveal(root) {
    root.querySelectorAll("[data-passkey-adding]").forEach(function (hidden) { hidden.hidden = false; });
  }
  function show(slot, answer) {
    return answer.text().then(function (html) {
      slot.innerHTML = html;
      if (window.htmx) { window.htmx.process(slot); }  /* its Remove form posts with htmx too */
      reveal(slot);
    });
  }

  function send(form, url) {
    return fetch(url, {method: "POST", credentials: "same-origin", body: new FormData(form),
                       headers: {"X-CSRFToken": csrfToken(), "HX-Request": "true"}});
  }
  function answered(slot, answer) {  /* a refusal: the section with its message, or the sign-in page */
    var target = answer.headers.get("HX-Redirect");
    if (target) { window.location.assign(target); return Promise.resolve(null); }
    return show(slot, answer).then(function () { return null; });
  }
  function addPasskey(button) {
    var slot = button.closest("#passkeys-panel"), form = button.closest("form");
    var name = form.querySelector("[name=passkey-name]").value;
    /* The Current Password goes first, before the browser's passkey prompt. */
    send(form, button.getAttribute("data-options")).then(function (answer) {
      return answer.ok ? answer.json() : answered(slot, answer);
    }).then(function (options) {
      if (!options) { return; }
      return navigator.credentials.create({publicKey: publicKey(options)})
        .then(function (credential) { return post(button.getAttribute("data-passkey-add"), {name: name, credential: credentialJSON(credential)}); },
              function () { return post(button.getAttribute("data-passkey-add"), {name: name, credential: {}}); })
        .then(function (answer) { return show(slot, answer); });
    });
  }
  function signIn(button) {
    var message = button.parentNode.querySelector("[data-passkey-message]");
    var next = document.querySelector("#sign-in input[name=next]");
    post(button.getAttribute("data-options")).then(function (answer) { return answer.json(); })
      .then(function (options) { return navigator.credentials.get({publicKey: publicKey(options)}); })
      .then(function (credential) { return post(button.getAttribute("data-passkey-sign-in"), {credential: credentialJSON(credential), next: next ? next.value : null}); })
      .then(function (answer) {
        var target = answer.headers.get("HX-Redirect");
        if (target) { window.location.assign(target); return null; }
        return show(message, answer);
      })
      .catch(function () { message.innerHTML = ""; message.textContent = message.getAttribute("data-failed"); message.setAttribute("role", "alert"); });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-passkey-add]");
    var sign = event.target.closest("[data-passkey-sign-in]");
    if (add) { addPasskey(add); }
    if (sign) { signIn(sign); }
  });
  /* Once for the page (htmx starts with <body>) and once for each piece htmx swaps in: each placeholder is
     asked for once, so no second answer can arrive late and replace what is being typed in it. */
  htmx.onLoad(function (root) { fill(root); reveal(root); });
}());
