// Autosave for note drafts: saves a few seconds after typing stops, keeps a copy in this
// browser until the server has it (a lost connection loses nothing), and takes in what a
// co-facilitator saved meanwhile. Without JavaScript the Save and Sign buttons still work.
(function () {
  "use strict";
  // Signed notes: drop any copy this browser still holds of their draft.
  document.querySelectorAll("[data-notes-clear]").forEach(function (element) {
    try { localStorage.removeItem(element.getAttribute("data-notes-clear")); } catch (e) { /* ignore */ }
  });
  var form = document.querySelector("form[data-notes-autosave]");
  if (!form || !window.fetch) return;
  var key = form.getAttribute("data-storage-key");
  var status = document.getElementById("autosave-status");
  var timer = null;
  var inFlight = false;
  var dirty = false;

  function areas() { return form.querySelectorAll("textarea[name^='s_']"); }
  function say(text) { if (status) status.textContent = text; }
  // The page's own words, in the reader's language (data-say-* on the form); English if absent.
  function words(name, fallback, values) {
    var text = form.getAttribute("data-say-" + name) || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  function keep() {
    var copy = {};
    areas().forEach(function (area) { copy[area.name] = area.value; });
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: copy })); } catch (e) { /* private mode */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  // Text typed here that never reached the server (the connection dropped): put it back.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (kept && kept.values) {
      var restored = false;
      areas().forEach(function (area) {
        var value = kept.values[area.name];
        if (typeof value === "string" && value !== area.value) { area.value = value; restored = true; }
      });
      if (restored) { dirty = true; say(words("restored", "Restored text you typed here before it was saved. Saving…")); schedule(500); }
      else forget();
    }
  } catch (e) { forget(); }

  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function save() {
    if (inFlight || !dirty) return;
    inFlight = true;
    dirty = false;
    var data = new FormData(form);
    data.set("action", "autosave");
    data.delete("secret");
    var sent = {};
    areas().forEach(function (area) { sent[area.name] = area.value; });
    // Not form.action: the buttons named "action" shadow that property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (answer) {
      var body = answer.body;
      if (!body.ok) { say(body.error || words("not-saved", "Not saved.")); if (body.signed) window.location.reload(); return; }
      Object.keys(body.digests || {}).forEach(function (k) {
        var base = form.querySelector("input[data-base-for='" + k + "']");
        var area = form.querySelector("textarea[name='s_" + k + "']");
        if (base) base.value = body.digests[k];
        // The server merged in someone else's words: show them, unless typing went on.
        if (area && area.value === sent[area.name] && body.values[k] !== undefined && body.values[k] !== area.value) {
          area.value = body.values[k];
        }
      });
      if (!dirty) forget();
      var merged = body.merged && body.merged.length
        ? words("merged", "Someone else changed {parts} too; both texts are kept.", { parts: body.merged.join(", ") }) + " "
        : "";
      say(merged + words("saved", "Saved at {time}.", { time: body.saved_at }));
    }).catch(function () {
      dirty = true;
      say(words("offline", "Offline: your text is kept on this device and will be saved when you are back."));
      schedule(15000);
    }).then(function () {
      inFlight = false;
      if (dirty) schedule(3000);
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") return;
    dirty = true;
    keep();
    say(words("typing", "Not saved yet…"));
    schedule(3000);
  });
  window.addEventListener("online", function () { if (dirty) schedule(200); });
})();
