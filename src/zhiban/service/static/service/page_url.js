/* A refused action shows its record's page again, at the action's own address (…/close/,
   …/call/, …/reply/). Put the page's address back in the address bar, so that a reload (htmx's
   HX-Refresh after a complaint's reply) asks for the page instead of sending the refused form
   again, and a relative link (?confirm=1) opens the page instead of meeting 405. */
(function () {
  "use strict";
  var mark = document.querySelector("[data-page-url]");
  if (!mark || !window.history || !history.replaceState) return;
  var url = mark.getAttribute("data-page-url");
  if (url && window.location.pathname !== url) {
    history.replaceState(history.state, "", url + window.location.hash);
  }
})();
