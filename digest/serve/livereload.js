// digest serve: reload this page after a good rebuild; show the errors of a failed one.
// The server adds this script to HTML responses only; built sites never contain it.
(function () {
  "use strict";
  var script = document.currentScript;
  var pageEpoch = script ? script.getAttribute("data-epoch") : null;
  var OVERLAY_ID = "digest-overlay";

  function hide() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) {
      old.remove();
    }
  }

  function show(problems) {
    hide();
    var box = document.createElement("section");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:80vh;overflow:auto;" +
      "margin:0;padding:1em 1.5em;background:#2b0b0b;color:#fde8e8;" +
      "border-bottom:4px solid #e5484d;font:14px/1.5 ui-monospace,monospace;" +
      "box-shadow:0 4px 24px rgba(0,0,0,.5)";
    var title = document.createElement("strong");
    title.textContent =
      "digest: the last save did not build. This page shows the last good version; " +
      "fix the errors and save again.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.75em 0 0;padding:0;list-style:none";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "digest-problem";
      item.style.cssText = "white-space:pre-wrap;margin:.25em 0";
      item.textContent = problem; // text, never HTML: messages quote the content
      list.appendChild(item);
    });
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }

  function onState(event) {
    var state = JSON.parse(event.data);
    if (state.problems.length) {
      show(state.problems);
    } else if (state.epoch !== pageEpoch) {
      window.location.reload();
    } else {
      hide();
    }
  }

  if (window.EventSource) {
    new EventSource("/__digest__/events").addEventListener("state", onState);
  }
})();
