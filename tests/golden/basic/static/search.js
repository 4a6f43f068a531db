/* digest search: reads the index that digest/search.py writes under search/.
 * The index files are scripts (not JSON), so search works on pages opened from disk,
 * where browsers refuse fetch(). Each file calls digestSearch.load(kind, key, data).
 * Without this script the search page still says how to browse instead. */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form || !window.Promise) {
    return;
  }
  var input = document.getElementById("search-query");
  var statusLine = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var metaSrc = form.getAttribute("data-index");
  var indexBase = metaSrc.slice(0, metaSrc.length - "meta.js".length);
  var rootLink = form.getAttribute("data-root");
  var root = rootLink.slice(0, rootLink.length - "index.html".length);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var SHOWN = 50;
  var TOP_DOCS = 200;

  var loaded = { meta: null, docs: {}, terms: {} };
  var waiting = {};

  window.digestSearch = {
    load: function (kind, key, data) {
      if (kind === "meta") {
        loaded.meta = data;
      } else if (kind === "docs" || kind === "terms") {
        loaded[kind][String(key)] = data;
      }
    }
  };

  /* One script per file, each loaded once; resolves when it has run. */
  function script(file) {
    if (!waiting[file]) {
      waiting[file] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = indexBase + file;
        tag.charset = "utf-8";
        tag.onload = resolve;
        tag.onerror = function () {
          delete waiting[file];
          reject(new Error("could not load " + file));
        };
        document.head.appendChild(tag);
      });
    }
    return waiting[file];
  }

  /* The same folding and splitting as digest/search.py's words(). */
  function words(text, meta) {
    var folded = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    var out = [];
    (folded.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (word) {
      if (word.length >= meta.min_word) {
        out.push(word.slice(0, meta.max_word));
      }
    });
    return out;
  }

  /* The shard holding a word: the one whose key is the longest prefix of it. */
  function shardKey(word, meta) {
    var best = null;
    Object.keys(meta.shards).forEach(function (key) {
      if (word.lastIndexOf(key, 0) === 0 && (best === null || key.length > best.length)) {
        best = key;
      }
    });
    return best;
  }

  function decode(text) {
    var out = [];
    var number = 0;
    text.split(",").forEach(function (part) {
      var value = parseInt(part, 36);
      number += Math.floor(value / 2);
      out.push([number, value % 2 === 1]);
    });
    return out;
  }

  /* doc number -> score for one query word: headline/name hits weigh more, and a whole
   * word more than a word it begins. */
  function scoresFor(word, meta) {
    var key = shardKey(word, meta);
    var scores = {};
    if (key === null) {
      return scores;
    }
    var terms = loaded.terms[key] || {};
    var prefix = word.length >= meta.prefix_from;
    Object.keys(terms).forEach(function (term) {
      var whole = term === word;
      if (!whole && !(prefix && term.lastIndexOf(word, 0) === 0)) {
        return;
      }
      decode(terms[term]).forEach(function (entry) {
        var score = (entry[1] ? 3 : 1) * (whole ? 2 : 1);
        if (!(entry[0] in scores) || scores[entry[0]] < score) {
          scores[entry[0]] = score;
        }
      });
    });
    return scores;
  }

  function humanDate(iso) {
    var parts = iso.split("-");
    return parseInt(parts[2], 10) + " " + MONTHS[parseInt(parts[1], 10) - 1] + " " + parts[0];
  }

  function element(name, text, attributes) {
    var node = document.createElement(name);
    if (text) {
      node.textContent = text;
    }
    Object.keys(attributes || {}).forEach(function (attribute) {
      node.setAttribute(attribute, attributes[attribute]);
    });
    return node;
  }

  function doc(number, meta) {
    var row = loaded.docs[String(Math.floor(number / meta.per_file))][number % meta.per_file];
    return { slug: row[0], title: row[1], source: row[2], day: row[3], story: row[4],
      storyTitle: row[5] || row[1], lang: row[6] };
  }

  /* One result per story, with the versions that match. */
  function render(groups, meta, total) {
    list.textContent = "";
    groups.slice(0, SHOWN).forEach(function (group) {
      var first = doc(group.docs[0], meta);
      var item = element("li", "", { "class": "search-result" });
      var heading = element("h2", "", { "class": "search-story" });
      heading.appendChild(element("a", first.storyTitle,
        { href: root + "stories/" + first.story + "/index.html" }));
      item.appendChild(heading);
      var versions = element("ul", "", { "class": "search-versions" });
      group.docs.forEach(function (number) {
        var found = doc(number, meta);
        var line = element("li");
        var link = element("a", found.title,
          { href: root + "articles/" + found.slug + "/index.html" });
        if (found.lang) {
          link.setAttribute("lang", found.lang);
        }
        line.appendChild(link);
        var about = element("span", "", { "class": "meta" });
        about.appendChild(document.createTextNode(found.source + " · "));
        about.appendChild(element("time", humanDate(found.day), { datetime: found.day }));
        line.appendChild(document.createTextNode(" "));
        line.appendChild(about);
        versions.appendChild(line);
      });
      item.appendChild(versions);
      list.appendChild(item);
    });
    var stories = groups.length === 1 ? "1 story" : groups.length + " stories";
    var found = total === 1 ? "1 version" : total + " versions";
    var shown = groups.length > SHOWN ? " Showing the first " + SHOWN + "." : "";
    statusLine.textContent = total ? found + " in " + stories + " found." + shown
      : "Nothing found. Try another spelling, or fewer words.";
  }

  var latest = 0;

  /* aria-busy is on from a keystroke until the results of the latest query are shown. */
  function busy(on) {
    if (on) {
      list.setAttribute("aria-busy", "true");
    } else {
      list.removeAttribute("aria-busy");
    }
  }

  function search(query) {
    var ticket = ++latest;
    busy(true);
    if (!query.trim()) {
      list.textContent = "";
      statusLine.textContent = "";
      busy(false);
      return Promise.resolve();
    }
    return script("meta.js").then(function () {
      var meta = loaded.meta;
      var common = {};
      meta.common.forEach(function (word) { common[word] = true; });
      var asked = words(query, meta).filter(function (word) { return !common[word]; });
      if (!asked.length) {
        throw new Error("words too short or too common");
      }
      var files = asked.map(function (word) {
        var key = shardKey(word, meta);
        return key === null ? Promise.resolve() : script(meta.shards[key]);
      });
      return Promise.all(files).then(function () { return [asked, meta]; });
    }).then(function (found) {
      var asked = found[0];
      var meta = found[1];
      var total = null;
      asked.forEach(function (word) {
        var scores = scoresFor(word, meta);
        if (total === null) {
          total = scores;
          return;
        }
        var both = {};
        Object.keys(total).forEach(function (number) {
          if (number in scores) {
            both[number] = total[number] + scores[number];
          }
        });
        total = both;
      });
      var numbers = Object.keys(total).map(Number).sort(function (a, b) {
        return total[b] - total[a] || a - b;
      });
      var top = numbers.slice(0, TOP_DOCS);
      var files = {};
      top.forEach(function (number) { files[Math.floor(number / meta.per_file)] = true; });
      var loads = Object.keys(files).map(function (file) {
        return script("docs-" + file + ".js");
      });
      return Promise.all(loads).then(function () {
        return [numbers, top, meta];
      });
    }).then(function (found) {
      if (ticket !== latest) {
        return;
      }
      var numbers = found[0];
      var meta = found[2];
      var byStory = {};
      var groups = [];
      found[1].forEach(function (number) {
        var story = doc(number, meta).story;
        if (!byStory[story]) {
          byStory[story] = { docs: [] };
          groups.push(byStory[story]);
        }
        byStory[story].docs.push(number);
      });
      groups.forEach(function (group) { group.docs.sort(function (a, b) { return a - b; }); });
      render(groups, meta, numbers.length);
      busy(false);
    }).catch(function (error) {
      if (ticket !== latest) {
        return;
      }
      list.textContent = "";
      statusLine.textContent = /too short/.test(error.message)
        ? "Type a longer word: words of one letter and very common words are not indexed."
        : "The search index could not be loaded (" + error.message + ").";
      busy(false);
    });
  }

  function remember(query) {
    try {
      var url = new URL(window.location.href);
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url.href);
    } catch (ignored) {
      /* some browsers refuse history changes on pages opened from disk; search still works */
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    busy(true);
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      search(input.value);
      remember(input.value.trim());
    }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search(input.value);
    remember(input.value.trim());
  });

  document.getElementById("search-nojs").hidden = true;
  document.documentElement.classList.add("search-ready");
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
