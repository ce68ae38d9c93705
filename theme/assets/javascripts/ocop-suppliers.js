/* Supplier directory filter (no server): facet data from nha-cung-cap/bo-loc.json.
 * The page works without this script (paginated listing + full CSV download);
 * with it, a buyer filters by group, commune, stars, type, standard and wholesale,
 * shares the filter as a URL (?nhom=…&xa=…) and downloads the filtered list as CSV.
 * Data is untrusted text: it only ever reaches the page through textContent. */
(function () {
  "use strict";
  var form = document.getElementById("ocop-supplier-filter");
  var T = window.ocopText;
  if (!form || !T || !window.fetch || !window.URLSearchParams) return;
  var results = document.getElementById("ocop-supplier-results");
  var listing = document.getElementById("ocop-supplier-listing");
  var resultList = results.querySelector("ul");
  var more = results.querySelector("[data-action=more]");
  var count = form.querySelector(".ocop-filter__count");
  var STEP = 48;
  var FILTERS = ["q", "nhom", "xa", "sao", "loai", "tieu-chuan", "si"];
  var TYPE_LABELS = {};
  var data, col, matches = [], shown = 0;

  async function load() {
    if ("DecompressionStream" in window) {
      try {
        var res = await fetch(form.dataset.srcGz);
        if (res.ok) {
          var bytes = new Uint8Array(await res.arrayBuffer());
          // A host may already have inflated it (Content-Encoding: gzip): check the magic.
          if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
            var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
            return JSON.parse(await new Response(stream).text());
          }
          return JSON.parse(new TextDecoder().decode(bytes));
        }
      } catch (e) { /* fall back to the plain copy */ }
    }
    var plain = await fetch(form.dataset.src);
    if (!plain.ok) throw new Error("HTTP " + plain.status);
    return plain.json();
  }

  function option(select, value, label) {
    var node = T.el("option", null, label);
    node.value = value;
    select.appendChild(node);
    return node;
  }

  function fillOptions() {
    var f = form.elements;
    data.groups.forEach(function (g, i) { option(f.nhom, i, g[1] + " (" + g[2] + ")"); });
    var provinces = {};
    data.places.forEach(function (p) { provinces[p[2]] = true; });
    var several = Object.keys(provinces).length > 1, groups = {};
    data.places.forEach(function (p, i) {
      var parent = f.xa;
      if (several) {
        if (!groups[p[2]]) {
          groups[p[2]] = T.el("optgroup");
          groups[p[2]].label = p[2];
          f.xa.appendChild(groups[p[2]]);
        }
        parent = groups[p[2]];
      }
      option(parent, i, p[1] + " (" + p[3] + ")");
    });
    data.stars.forEach(function (s) { option(f.sao, s[0], s[0] + " sao (" + s[1] + ")"); });
    data.types.forEach(function (t, i) {
      TYPE_LABELS[i] = t[1];
      option(f.loai, i, t[1] + " (" + t[2] + ")");
    });
    data.standards.forEach(function (s, i) { option(f["tieu-chuan"], i, s[0] + " (" + s[1] + ")"); });
  }

  /* Filters travel by stable keys in the URL (group id, commune slug …), not by indexes. */
  var KEYS = {
    nhom: function (i) { return data.groups[i][0]; },
    xa: function (i) { return data.places[i][0]; },
    loai: function (i) { return data.types[i][0]; },
    "tieu-chuan": function (i) { return data.standards[i][0]; }
  };
  var TABLES = { nhom: "groups", xa: "places", loai: "types", "tieu-chuan": "standards" };

  function readUrl() {
    var params = T.readParams(), f = form.elements;
    FILTERS.forEach(function (name) {
      var value = params.get(name);
      if (value === null) return;
      if (name === "si") { f.si.checked = value === "1"; return; }
      if (TABLES[name]) {
        value = String(data[TABLES[name]].findIndex(function (row) {
          return name === "tieu-chuan" ? T.fold(row[0]) === T.fold(value.trim()) : row[0] === value;
        }));
        if (value === "-1") return;
      }
      f[name].value = value;
    });
  }

  function writeUrl(criteria) {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var value = criteria[name];
      if (value === "" || value === false) return;
      if (name === "q") value = form.elements.q.value.trim();  // as typed, not folded
      params.set(name, name === "si" ? "1" : KEYS[name] ? KEYS[name](Number(value)) : value);
    });
    T.writeParams(params, false);
  }

  function criteriaOf() {
    var f = form.elements;
    return {
      q: T.fold(f.q.value.trim()), nhom: f.nhom.value, xa: f.xa.value, sao: f.sao.value,
      loai: f.loai.value, "tieu-chuan": f["tieu-chuan"].value, si: f.si.checked
    };
  }

  function active(c) {
    return Boolean(c.q || c.nhom || c.xa || c.sao || c.loai || c["tieu-chuan"] || c.si);
  }

  function matchesRow(row, c) {
    if (c.q && T.fold(row[col.name]).indexOf(c.q) < 0) return false;
    if (c.nhom !== "" && row[col.groups].indexOf(Number(c.nhom)) < 0) return false;
    if (c.xa !== "" && row[col.place] !== Number(c.xa)) return false;
    if (c.sao !== "" && row[col.stars].indexOf(Number(c.sao)) < 0) return false;
    if (c.loai !== "" && row[col.type] !== Number(c.loai)) return false;
    if (c["tieu-chuan"] !== "" && row[col.standards].indexOf(Number(c["tieu-chuan"])) < 0) return false;
    if (c.si && !row[col.wholesale]) return false;
    return true;
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  function fact(dl, term, value) {
    dl.appendChild(T.el("dt", null, term));
    dl.appendChild(T.el("dd", null, value));
  }

  function contact(ul, label, text, href, external) {
    var li = T.el("li", null, label + ": "), a = T.el("a", null, text);
    a.href = href;
    if (external) a.rel = "nofollow noopener";
    li.appendChild(a);
    ul.appendChild(li);
  }

  function card(row) {
    var li = T.el("li", "ocop-supplier");
    var h = T.el("h2", "ocop-supplier__name"), a = T.el("a", null, row[col.name]);
    a.href = form.dataset.producers + row[col.id] + "/";
    h.appendChild(a);
    li.appendChild(h);
    var place = data.places[row[col.place]];
    li.appendChild(T.el("p", "ocop-supplier__meta",
      TYPE_LABELS[row[col.type]] + " · " + place[1] + ", " + place[2]));
    var dl = T.el("dl", "ocop-facts");
    if (row[col.groups].length) fact(dl, T.t("Nhóm sản phẩm"), groupNames(row).join(", "));
    if (row[col.stars].length) {
      fact(dl, T.t("Hạng OCOP"), row[col.stars].map(function (n) {
        return T.t("%(stars)s sao", { stars: n });
      }).join(", "));
    }
    fact(dl, T.t("Năng lực"), row[col.capacity] || T.t("Chưa cập nhật"));
    fact(dl, T.t("Đơn tối thiểu"), row[col.minimum_order] || T.t("Chưa cập nhật"));
    fact(dl, T.t("Bán sỉ"), row[col.wholesale] ? T.t("Có") : T.t("Không"));
    if (row[col.standards].length) fact(dl, T.t("Tiêu chuẩn"), standardNames(row).join(", "));
    li.appendChild(dl);
    var ul = T.el("ul", "ocop-contacts");
    var phone = row[col.phone], zalo = row[col.zalo], email = row[col.email];
    if (phone) contact(ul, T.t("Điện thoại"), phone, "tel:" + phone.replace(/[ .]/g, ""));
    if (zalo) contact(ul, "Zalo", zalo, "https://zalo.me/" + zalo.replace(/[ .]/g, ""), true);
    if (email) contact(ul, T.t("Thư điện tử"), email, "mailto:" + email);
    var web = safeUrl(row[col.website]);
    if (web) contact(ul, T.t("Trang web"), web, web, true);
    if (ul.children.length) li.appendChild(ul);
    return li;
  }

  function groupNames(row) { return row[col.groups].map(function (i) { return data.groups[i][1]; }); }
  function standardNames(row) { return row[col.standards].map(function (i) { return data.standards[i][0]; }); }

  function showMore() {
    var end = Math.min(matches.length, shown + STEP);
    for (; shown < end; shown++) resultList.appendChild(card(matches[shown]));
    more.hidden = shown >= matches.length;
  }

  var applied = null;

  function apply() {
    var c = criteriaOf(), key = JSON.stringify(c);
    // 'change' follows 'input' when the search box loses focus, e.g. on a click on a
    // result: rebuilding the list then would swallow that click.
    if (key === applied) return;
    applied = key;
    writeUrl(c);
    if (!active(c)) {
      results.hidden = true;
      listing.hidden = false;
      matches = data.producers;
      count.textContent = "";
      return;
    }
    matches = data.producers.filter(function (row) { return matchesRow(row, c); });
    listing.hidden = true;
    results.hidden = false;
    resultList.textContent = "";
    shown = 0;
    showMore();
    count.textContent = matches.length
      ? T.tn("%(num)s nhà cung cấp phù hợp", "%(num)s nhà cung cấp phù hợp", matches.length)
      : T.t("Không có nhà cung cấp nào phù hợp. Hãy bỏ bớt điều kiện lọc.");
  }

  /* CSV as in producers.csv (same column names; see the open-data page): UTF-8 with
   * a byte order mark so Excel reads Vietnamese; cells through T.csvCell. */
  function download() {
    var base = new URL(form.dataset.producers, location.href).href;
    var header = ["id", "url", "name", "type_label", "commune", "province", "phone", "email",
      "website", "zalo", "capacity", "minimum_order", "wholesale", "standards",
      "product_groups", "stars"];
    var lines = [header.join(",")];
    matches.forEach(function (row) {
      var place = data.places[row[col.place]];
      lines.push([row[col.id], base + row[col.id] + "/", row[col.name], TYPE_LABELS[row[col.type]],
        place[1], place[2], row[col.phone], row[col.email], row[col.website], row[col.zalo],
        row[col.capacity], row[col.minimum_order], row[col.wholesale] ? "true" : "false",
        standardNames(row).join("; "), groupNames(row).join("; "), row[col.stars].join("; ")
      ].map(T.csvCell).join(","));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = T.el("a");
    link.href = URL.createObjectURL(blob);
    link.download = "nha-cung-cap-ocop.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  load().then(function (loaded) {
    if (Math.floor(loaded.version) !== 1) throw new Error("unknown filter data version");
    data = loaded;
    col = {};
    data.fields.forEach(function (name, i) { col[name] = i; });
    fillOptions();
    readUrl();
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.querySelector("[data-action=download]").addEventListener("click", download);
    more.addEventListener("click", showMore);
    apply();
  }).catch(function (error) {
    /* The listing and the full downloads still work; say why the filter is missing. */
    if (window.console) console.warn("Supplier filter could not load:", error);
  });
})();
