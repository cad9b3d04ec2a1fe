// Quick exit: the link, or Escape pressed twice, leaves at once. location.replace() takes this
// page out of the history, so Back does not come back to it. When the member chose it, a
// beacon signs them out on the way (it is sent even as the page goes away).
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;

  function leave(event) {
    if (event) event.preventDefault();
    if (link.dataset.signOut === "1" && navigator.sendBeacon) {
      var form = new FormData();
      form.append("csrfmiddlewaretoken", link.dataset.csrf);
      navigator.sendBeacon(link.dataset.signOutUrl, form);
    }
    window.location.replace(link.dataset.target);
  }

  link.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave(event);
    lastEscape = now;
  });
})();
