// A new account's time zone starts as the browser's own, when the list offers it; the person
// can still choose another. Without JavaScript the clinic's zone stays selected.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    if (!zone) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  });
})();
