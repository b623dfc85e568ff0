// Intents' sources, targets and traces are kept as JSON and drawn when an
// intent is opened, so that a report of thousands of intents stays light to
// load. Expand and collapse every section; open them all before printing so
// the PDF holds every trace.
(function () {
  var traces = [], loaded = false, ready;
  var el = document.getElementById("traces");
  var data = el.getAttribute("data-traces");
  if (el.getAttribute("data-encoding") === "json") {
    traces = JSON.parse(data);
    loaded = true;
    ready = Promise.resolve();
  } else {
    // Gzipped JSON in base64: inflate it in memory.
    var bin = Uint8Array.from(atob(data), function (c) { return c.charCodeAt(0); });
    ready = new Response(new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
      .then(function (text) { traces = JSON.parse(text); loaded = true; });
  }
  window.privaksTraces = ready;
  function fill(d) {
    if (loaded) { draw(d); } else { ready.then(function () { draw(d); }); }
  }
  function draw(d) {
    var i = d.getAttribute("data-trace");
    var ol = d.querySelector("ol.trace");
    var t = traces[+i];
    if (i === null || !ol || !t || ol.childElementCount > 0) { return; }
    var dl = d.querySelector("dl");
    [["from", t.from], ["to", t.to]].forEach(function (kv) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = kv[0];
      dd.textContent = kv[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    t.trace.forEach(function (s) {
      var li = document.createElement("li");
      li.className = s.ok ? "ok" : "broken";
      var k = document.createElement("span");
      k.className = "kind";
      k.textContent = s.kind;
      li.appendChild(k);
      li.appendChild(document.createTextNode(" " + s.text));
      ol.appendChild(li);
    });
  }
  document.querySelectorAll("details[data-trace]").forEach(function (d) {
    if (d.open) { fill(d); }
    d.addEventListener("toggle", function () { if (d.open) { fill(d); } });
  });
  function all(open) {
    document.querySelectorAll("details").forEach(function (d) { d.open = open; if (open) { fill(d); } });
  }
  document.getElementById("expand").addEventListener("click", function () { all(true); });
  document.getElementById("collapse").addEventListener("click", function () { all(false); });
  window.addEventListener("beforeprint", function () { all(true); });
})();
