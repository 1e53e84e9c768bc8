/* Zhiban console: CSRF for htmx, the centre clock, the live channel (bell and toasts). */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content;
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRFToken"] = csrf;
  });
  /* A refused form (422, 409) comes back with its messages: show it like a success. */
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.htmx) return;
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409|422", swap: true },
      { code: "[45]..", swap: false, error: true },
    ];
    /* The bell's menu loads on its click (hx-get). Clicked while the page was still loading,
       before htmx had bound it, the menu opened empty: load it now. */
    var bell = document.querySelector(".zb-bell"), menu = document.getElementById("bell-menu");
    if (bell && menu && bell.classList.contains("show") && !menu.children.length) {
      window.htmx.ajax("GET", bell.getAttribute("hx-get"), { target: menu });
    }
  });

  /* The clock shows the centre's own time zone, whatever the browser's zone is. */
  function tick() {
    var now = new Date();
    document.querySelectorAll("[data-tz]").forEach(function (el) {
      var tz = el.dataset.tz, lang = el.dataset.lang === "en" ? "en-GB" : "zh-CN";
      try {
        var time = new Intl.DateTimeFormat(lang, { timeZone: tz, hour: "2-digit", minute: "2-digit",
          second: "2-digit", hour12: false }).format(now);
        var date = new Intl.DateTimeFormat(lang, { timeZone: tz, year: "numeric", month: "2-digit",
          day: "2-digit" }).format(now) + " " + new Intl.DateTimeFormat(lang, { timeZone: tz,
          weekday: "short" }).format(now);
        var t = el.querySelector(".zb-clock-time");
        if (t) { t.textContent = time; el.querySelector(".zb-clock-date").textContent = date; }
        else { el.textContent = time; }
      } catch (err) { el.textContent = ""; }
    });
  }
  tick();
  setInterval(tick, 1000);

  function setUnread(n) {
    if (typeof n !== "number") return;
    document.querySelectorAll(".zb-unread").forEach(function (badge) {
      badge.textContent = n;
      badge.classList.toggle("d-none", n === 0);
    });
  }

  function toast(ev) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast show zb-toast zb-toast-" + (ev.level || "info");
    el.setAttribute("role", "status");
    var head = document.createElement("div");
    head.className = "toast-header";
    var title = document.createElement("strong");
    title.className = "me-auto";
    title.textContent = ev.title || "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", "×");
    close.addEventListener("click", function () { el.remove(); });
    head.appendChild(title);
    head.appendChild(close);
    el.appendChild(head);
    if (ev.body) {
      var body = document.createElement("div");
      body.className = "toast-body";
      body.textContent = ev.body;
      el.appendChild(body);
    }
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, ev.level === "urgent" ? 30000 : 10000);
  }

  /* Reload a live panel, but never under the hands of someone typing in it: wait until
     they leave the field. */
  function typing(el) {
    var active = document.activeElement;
    return active && el.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }
  function refresh(el) {
    if (!typing(el)) { window.htmx.trigger(el, "refresh"); return; }
    if (el.dataset.refreshPending) return;
    el.dataset.refreshPending = "1";
    el.addEventListener("focusout", function later() {
      setTimeout(function () {
        if (typing(el)) return;
        el.removeEventListener("focusout", later);
        delete el.dataset.refreshPending;
        window.htmx.trigger(el, "refresh");
      }, 0);
    });
  }

  /* Alarms (INC-1): an "alarms" event reloads the alarm lists and panels at most ~3 times a
     second; events arriving meanwhile fold into one more reload, so the last is never lost.
     The timer is kept per key: a reload replaces the element itself. */
  var ALARM_GAP = 333, alarmTimers = {};
  function refreshThrottled(key) {
    var t = alarmTimers[key] || (alarmTimers[key] = { timer: null, again: false });
    if (t.timer) { t.again = true; return; }
    var fire = function () {
      document.querySelectorAll('[data-live-refresh="' + key + '"]').forEach(refresh);
    };
    fire();
    t.timer = setTimeout(function done() {
      if (t.again) { t.again = false; fire(); t.timer = setTimeout(done, ALARM_GAP); }
      else { t.timer = null; }
    }, ALARM_GAP);
  }

  /* Choosers (a list filter's team, site, person): a long list gets a search box beside its
     label that keeps only the names containing what is typed; the label's line keeps its
     height, so the chooser lines up with the filters beside it. */
  function chooser(select) {
    if (select.dataset.chooserReady || select.options.length < 8) return;
    select.dataset.chooserReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm";
    box.placeholder = select.dataset.chooser;
    box.setAttribute("aria-label", select.dataset.chooser);
    box.addEventListener("input", function (e) {
      e.stopPropagation();
      var words = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = !!option.value && option.text.toLowerCase().indexOf(words) < 0;
      });
    });
    box.addEventListener("change", function (e) { e.stopPropagation(); });
    var label = select.id && select.parentNode.querySelector('label[for="' + select.id + '"]');
    if (!label) { select.parentNode.insertBefore(box, select); return; }
    var head = document.createElement("div");
    head.className = "zb-chooser-head";
    label.parentNode.insertBefore(head, label);
    head.appendChild(label);
    head.appendChild(box);
  }
  function choosers(root) { root.querySelectorAll("select[data-chooser]").forEach(chooser); }
  document.addEventListener("DOMContentLoaded", function () { choosers(document); });
  document.addEventListener("htmx:load", function (e) { choosers(e.target); });

  /* A pop card (the hotline's caller, CS-6): the event names the card's address; the page
     fetches it as the person it is and shows it in the corner, a card of the same key
     replacing the last. */
  function pop(ev) {
    if (!ev.url || ev.url.charAt(0) !== "/") return;
    fetch(ev.url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (!html) return;
        var box = document.getElementById("zb-pops");
        if (!box) {
          box = document.createElement("div");
          box.id = "zb-pops";
          box.className = "zb-pops";
          document.body.appendChild(box);
        }
        var el = document.createElement("div");
        el.dataset.popKey = ev.key || "";
        el.innerHTML = html;
        var old = ev.key && box.querySelector('[data-pop-key="' + CSS.escape(ev.key) + '"]');
        if (old) box.replaceChild(el, old); else box.insertBefore(el, box.firstChild);
        el.querySelectorAll("[data-pop-close]").forEach(function (b) {
          b.addEventListener("click", function () { el.remove(); });
        });
        if (window.htmx) window.htmx.process(el);
      })
      .catch(function () {});
  }

  /* One websocket per console; reconnects with back-off after a network or server restart. */
  var path = document.body.dataset.live;
  function connect(delay) {
    if (!path) return;
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
    ws.onopen = function () { delay = 1000; document.body.dataset.liveState = "open"; };
    ws.onmessage = function (message) {
      var ev = JSON.parse(message.data);
      setUnread(ev.unread);
      if (ev.kind === "notification") toast(ev);
      if (ev.kind === "pop") pop(ev);
      if (ev.kind === "alarms" && window.htmx) refreshThrottled("alarms");
      if (ev.kind === "refresh" && window.htmx) {
        (ev.panels || []).forEach(function (key) {
          document.querySelectorAll('[data-live-refresh="' + key + '"]').forEach(refresh);
        });
      }
      document.dispatchEvent(new CustomEvent("zhiban:live", { detail: ev }));
    };
    ws.onclose = function () {
      document.body.dataset.liveState = "closed";
      setTimeout(function () { connect(Math.min(delay * 2, 30000)); }, delay);
    };
  }
  connect(1000);
})();
