// digest serve: bring this page up to date after a good rebuild; show the errors of a failed one.
// The server adds this script to HTML responses only; built sites never contain it.
(function () {
  "use strict";
  var script = document.currentScript;
  var pageEpoch = script ? script.getAttribute("data-epoch") : null;
  // The page's file in the output, as the server names what a build changed ("" when the
  // page was not found: such a page is refreshed by every build, it may exist now).
  var pageFile = script ? script.getAttribute("data-file") : "";
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

  // A page one epoch behind whose file that build did not touch is still current.
  function stillCurrent(state) {
    return (
      state.after === pageEpoch &&
      Boolean(pageFile) &&
      Array.isArray(state.changed) &&
      state.changed.indexOf(pageFile) < 0
    );
  }

  function current(epoch) {
    pageEpoch = epoch;
    if (script) {
      script.setAttribute("data-epoch", epoch); // what the page is now current with
    }
  }

  function stylesheets(doc) {
    return Array.prototype.map
      .call(doc.querySelectorAll('link[rel="stylesheet"]'), function (link) {
        return link.getAttribute("href");
      })
      .join(" ");
  }

  // Show the page's new version without reloading it: fetch it and put its body in place
  // of the old one (the scroll position stays). A page with scripts of its own, or other
  // style sheets, is reloaded instead.
  function refresh() {
    fetch(window.location.href, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var tag = doc.querySelector("script[data-epoch]");
        var others = doc.querySelectorAll("script:not([data-epoch])");
        if (!tag || others.length || stylesheets(doc) !== stylesheets(document)) {
          window.location.reload();
          return;
        }
        document.title = doc.title;
        document.body.replaceWith(document.adoptNode(doc.body));
        script = tag; // the new body's copy of this script's tag (inert: never run)
        pageFile = tag.getAttribute("data-file");
        current(tag.getAttribute("data-epoch"));
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function onState(event) {
    var state = JSON.parse(event.data);
    if (state.problems.length) {
      show(state.problems);
      return;
    }
    hide();
    if (state.epoch === pageEpoch) {
      return;
    }
    if (stillCurrent(state)) {
      current(state.epoch);
    } else if (document.querySelector("script:not([data-epoch])")) {
      window.location.reload(); // scripts of the page's own (search) must run again
    } else {
      refresh();
    }
  }

  if (window.EventSource) {
    new EventSource("/__digest__/events").addEventListener("state", onState);
  }
})();
