// chaff report: filters, keyboard and the paged table of documents. Every piece of document
// data is put in the page with textContent, never as markup.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("chaff-rows").textContent);
  var q = document.getElementById("f-id");
  var src = document.getElementById("f-src");
  var kind = document.getElementById("f-kind");
  var count = document.getElementById("f-count");
  var body = document.querySelector("#rows tbody");
  var pageLabel = document.getElementById("page");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");
  var items = Array.prototype.slice.call(document.querySelectorAll(".item, .item-row"));
  var PAGE = 100;
  var page = 0;
  var matching = data.rows;

  function wanted(ids, sources, kinds) {
    var text = q.value.trim().toLowerCase();
    if (text && ids.toLowerCase().indexOf(text) < 0) return false;
    if (src.value && sources.split("\n").indexOf(src.value) < 0) return false;
    if (kind.value && kinds.indexOf(kind.value) < 0) return false;
    return true;
  }

  function rowKinds(r) {
    var k = [];
    if (r[2] || r[3]) k.push("duplicate");
    if (r[4]) k.push("passage");
    if (r[5]) k.push("chrome");
    return k;
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function draw() {
    var rows = matching.slice(page * PAGE, (page + 1) * PAGE);
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", r[0]);
      var td = document.createElement("td");
      var bdi = document.createElement("bdi");
      bdi.className = "id";
      bdi.textContent = r[0];
      if (r[6]) {
        var a = document.createElement("a");
        a.href = "#" + r[6];
        a.appendChild(bdi);
        td.appendChild(a);
      } else {
        td.appendChild(bdi);
      }
      tr.appendChild(td);
      cell(tr, data.sources[r[1]] || "");
      cell(tr, r[2] ? String(r[2]) : "");
      cell(tr, r[3], "id");
      cell(tr, r[4] ? String(r[4]) : "");
      cell(tr, r[5] ? String(r[5]) : "");
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    var pages = Math.max(1, Math.ceil(matching.length / PAGE));
    pageLabel.textContent = "page " + (page + 1) + " of " + pages + " (" + matching.length + " documents)";
    prev.disabled = page === 0;
    next.disabled = page + 1 >= pages;
  }

  function filter() {
    var shown = 0;
    items.forEach(function (el) {
      var ok = wanted(el.getAttribute("data-ids") || "", el.getAttribute("data-src") || "",
        [el.getAttribute("data-kind")]);
      el.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll("table.sources tbody tr").forEach(function (tr) {
      tr.hidden = !!src.value && tr.getAttribute("data-src") !== src.value;
    });
    matching = data.rows.filter(function (r) {
      return wanted(r[0] + "\n" + r[3], data.sources[r[1]] || "", rowKinds(r));
    });
    page = 0;
    draw();
    count.textContent = shown + " of " + items.length + " items shown";
  }

  function visibleItems() {
    return items.filter(function (el) { return !el.hidden && el.classList.contains("item"); });
  }

  function move(step) {
    var list = visibleItems();
    if (!list.length) return;
    var at = list.findIndex(function (el) { return el.contains(document.activeElement); });
    var to = list[Math.min(list.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    var summary = to.querySelector("summary");
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  // The filters live in the address too (?id=&source=&kind=), so a link shows the same view.
  var params = new URLSearchParams(location.search);
  q.value = params.get("id") || "";
  src.value = params.get("source") || "";
  kind.value = params.get("kind") || "";
  function remember() {
    var p = new URLSearchParams();
    if (q.value) p.set("id", q.value);
    if (src.value) p.set("source", src.value);
    if (kind.value) p.set("kind", kind.value);
    try {
      history.replaceState(null, "", p.toString() ? "?" + p.toString() : location.pathname);
    } catch (e) { /* some browsers refuse it for file: pages; the filters still work */ }
  }
  function changed() { filter(); remember(); }
  q.addEventListener("input", changed);
  src.addEventListener("change", changed);
  kind.addEventListener("change", changed);
  prev.addEventListener("click", function () { if (page > 0) { page--; draw(); } });
  next.addEventListener("click", function () { page++; draw(); });
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
    if (e.key === "Escape" && typing) {
      q.value = ""; src.value = ""; kind.value = ""; changed(); e.target.blur();
    } else if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      if (e.key === "/") { e.preventDefault(); q.focus(); }
      else if (e.key === "j") move(1);
      else if (e.key === "k") move(-1);
    }
  });
  filter();
  // Read by scripts/report_open.sh: how long the script took to make the page usable.
  document.documentElement.setAttribute("data-ready", String(Math.round(performance.now() - started)));
  document.documentElement.setAttribute("data-ready-at", String(Math.round(performance.now())));
})();
