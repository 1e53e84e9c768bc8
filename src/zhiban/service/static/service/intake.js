/* The intake screen, keyboard first (CS-1): ↓ from the phone field goes to the customers
   found, ↑/↓ move between them, Enter (or a click) picks one — the number is filled in, the
   new-customer fields step aside and the history loads (htmx, on the button itself); typing
   another number brings the fields back. Ctrl+Enter records from anywhere in the form. */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var phone = document.getElementById("id_phone");
  var lookup = document.getElementById("lookup");
  var fresh = document.getElementById("new-customer");
  var history = document.getElementById("history");
  var picked = fresh && fresh.hidden ? phone.value : "";

  function options() {
    return Array.prototype.slice.call(lookup.querySelectorAll("[data-pick]"));
  }

  function pick(option) {
    picked = option.dataset.phone;
    phone.value = picked;
    if (fresh) fresh.hidden = true;
    lookup.innerHTML = "";
    var next = form.querySelector("input[name=channel]:checked") || form.querySelector("input[name=channel]");
    if (next) next.focus();
  }

  lookup.addEventListener("click", function (event) {
    var option = event.target.closest("[data-pick]");
    if (option) pick(option);
  });

  lookup.addEventListener("keydown", function (event) {
    var all = options();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < all.length - 1) { all[at + 1].focus(); event.preventDefault(); }
    if (event.key === "ArrowUp") { (at > 0 ? all[at - 1] : phone).focus(); event.preventDefault(); }
    if (event.key === "Escape") { phone.focus(); event.preventDefault(); }
  });

  phone.addEventListener("keydown", function (event) {
    var all = options();
    if (event.key === "ArrowDown" && all.length) { all[0].focus(); event.preventDefault(); }
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();  // Enter picks; it does not record a half-filled contact
      if (all.length) all[0].click();  // htmx loads the history, the click handler picks it
      else if (fresh && !fresh.hidden) document.getElementById("id_name").focus();
    }
  });

  phone.addEventListener("input", function () {
    if (picked && phone.value !== picked) {
      picked = "";
      if (fresh) fresh.hidden = false;
      if (history) history.innerHTML = "";
    }
  });

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
