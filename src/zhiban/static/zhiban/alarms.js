/* The live alarm console (INC-1, INC-2, INC-3): keyboard selection and acknowledgement, and the
   sound and flash of a new accident alarm. The list itself reloads on every "alarms" event of
   the live channel (zhiban.js); this keeps the selection across reloads. */
(function () {
  "use strict";
  var box = document.querySelector(".zb-alarm-console");
  var list = document.getElementById("alarm-list");
  if (!box || !list) return;
  var holder = list.parentNode;
  var selectedId = null, selectedIndex = 0;
  var pending = {};  /* new accident alarms (id → when heard) waiting for their row */

  function rows() { return Array.prototype.slice.call(holder.querySelectorAll("tr.zb-alarm")); }

  function select(index, scroll) {
    var all = rows();
    all.forEach(function (r) { r.classList.remove("zb-selected"); r.removeAttribute("aria-selected"); });
    if (!all.length) { selectedId = null; return; }
    selectedIndex = Math.max(0, Math.min(index, all.length - 1));
    var row = all[selectedIndex];
    row.classList.add("zb-selected");
    row.setAttribute("aria-selected", "true");
    selectedId = row.dataset.alarmId;
    if (scroll) row.scrollIntoView({ block: "nearest" });
  }

  function selectedRow() {
    return selectedId === null ? null : holder.querySelector('tr.zb-alarm[data-alarm-id="' + selectedId + '"]');
  }

  function submit(form) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  /* ↑/↓ or j/k select, a or Enter acknowledges the selected alarm, Shift+A all shown. */
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable)) return;
    var key = e.key;
    if (key === "ArrowDown" || key === "j") {
      select(selectedId === null ? 0 : selectedIndex + 1, true);
    } else if (key === "ArrowUp" || key === "k") {
      select(selectedId === null ? 0 : selectedIndex - 1, true);
    } else if (e.shiftKey && (key === "A" || key === "a")) {
      submit(holder.querySelector("#ack-all"));
    } else if (key === "a" || (key === "Enter" && !/^(A|BUTTON)$/.test(t.tagName))) {
      var row = selectedRow();
      if (!row) return;
      submit(row.querySelector(".zb-ack-form"));
    } else {
      return;
    }
    e.preventDefault();
  });
  holder.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest("tr.zb-alarm");
    if (row) select(rows().indexOf(row), false);
  });

  /* Sound: browsers allow it only after the person has used the page. */
  var audio = null, sound = document.getElementById("alarm-sound");
  function unlock() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
    if (sound) { sound.classList.add("zb-sound-on"); sound.textContent = sound.dataset.on; }
  }
  document.addEventListener("pointerdown", unlock);
  document.addEventListener("keydown", unlock);

  function beep() {
    if (!audio || audio.state !== "running") return;
    var now = audio.currentTime;
    [0, 0.3, 0.6].forEach(function (at) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = "square";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, now + at);
      gain.gain.exponentialRampToValueAtTime(0.2, now + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.2);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(now + at);
      osc.stop(now + at + 0.22);
    });
  }

  var cue = document.getElementById("alarm-cue"), cueTimer = null;
  function announce(rowsFound) {
    beep();
    box.dataset.cues = String(Number(box.dataset.cues || 0) + 1);
    if (!cue) return;
    var signals = rowsFound.map(function (r) {
      return [".zb-c-site", ".zb-c-equipment", ".zb-c-signal a"].map(function (css) {
        var cell = r.querySelector(css);
        return cell ? cell.textContent.trim() : "";
      }).filter(Boolean).join(" ");
    });
    cue.textContent = cue.dataset.text + " " + signals.join("；");
    cue.classList.remove("d-none");
    clearTimeout(cueTimer);
    cueTimer = setTimeout(function () { cue.classList.add("d-none"); }, 15000);
  }

  document.addEventListener("zhiban:live", function (e) {
    var ev = e.detail || {};
    if (ev.kind !== "alarms") return;
    (ev["new"] || []).forEach(function (a) {
      if (a.klass === "accident") pending[a.id] = Date.now();
    });
  });

  /* After every reload: keep the selection on the same alarm (or the same place) and flash the
     rows of new accident alarms; those not shown (filtered out, suppressed) are let go. */
  function reloaded() {
    if (selectedId !== null) {
      var at = rows().findIndex(function (r) { return r.dataset.alarmId === selectedId; });
      select(at >= 0 ? at : selectedIndex, false);
    }
    var found = [];
    Object.keys(pending).forEach(function (id) {
      var row = holder.querySelector('tr.zb-alarm[data-alarm-id="' + id + '"]');
      if (row) {
        row.classList.add("zb-flash");
        found.push(row);
        delete pending[id];
      } else if (Date.now() - pending[id] > 10000) {
        delete pending[id];
      }
    });
    if (found.length) announce(found);
  }
  new MutationObserver(reloaded).observe(holder, { childList: true });
})();
