/* Product finder (theme/ocop/finder.html): text query + facet filters with counts,
 * sort and pages. The whole state lives in the URL, so a filtered view can be shared
 * and the back button steps through earlier views.
 *
 * Data: facets.json (one column per facet, one entry per product in Vietnamese name
 * order, see generator/search.py) and p/<province>.json (communes) once a province
 * is chosen. A facet's counts apply every other facet's filter but not its own.
 */
(function () {
  "use strict";
  const S = window.ocopSearch;
  const T = window.ocopText;
  const root = document.querySelector("[data-ocop-finder]");
  if (!S || !T || !root) return;

  const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  const STATUS_CODES = { valid: "v", expiring: "e", expired: "x", revoked: "r" };
  const PAGE_SIZE = Number(root.dataset.pageSize) || 24;
  const DEFAULT_STATUS = (root.dataset.defaultStatus || "valid,expiring").split(",");

  const form = root.querySelector("form");
  const q = form.elements.q;
  const sort = form.elements.sx;
  const provinceSelect = form.elements.tinh;
  const placeSelect = form.elements.xa;
  const minInput = form.elements.gia_tu;
  const maxInput = form.elements.gia_den;
  const countLine = root.querySelector("[data-result-count]");
  const list = root.querySelector("[data-results]");
  const pager = root.querySelector("[data-pager]");
  const filters = root.querySelector(".ocop-finder__filters");
  const showButton = root.querySelector("[data-show-results]");

  // --- state <-> URL -------------------------------------------------------------
  function emptyState() {
    return {
      q: "", stars: new Set(), cats: new Set(), province: "", place: "", types: new Set(),
      status: new Set(DEFAULT_STATUS), price: null, sort: "", page: 1,
    };
  }

  function parsePrice(text) {
    const m = /^(\d*)-(\d*)$/.exec(text || "");
    if (!m || (!m[1] && !m[2])) return null;
    return [m[1] ? Number(m[1]) : 0, m[2] ? Number(m[2]) : null];
  }

  function fromURL() {
    const p = T.readParams();
    const s = emptyState();
    s.q = p.get("q") || "";
    s.stars = T.listParam(p, "sao");
    s.cats = T.listParam(p, "nhom");
    s.province = p.get("tinh") || "";
    s.place = p.get("xa") || "";
    s.types = T.listParam(p, "loai");
    if (p.has("tt")) {
      s.status = p.get("tt") === "tat-ca" ? new Set() : T.listParam(p, "tt");
    }
    s.price = parsePrice(p.get("gia"));
    s.sort = p.get("sx") || "";
    s.page = Math.max(1, parseInt(p.get("trang"), 10) || 1);
    return s;
  }

  function sameSet(a, b) {
    return a.size === b.size && [...a].every((x) => b.has(x));
  }

  function toParams(s) {
    const p = new URLSearchParams();
    if (s.q.trim()) p.set("q", s.q.trim());
    if (s.stars.size) p.set("sao", [...s.stars].sort().reverse().join(","));
    if (s.cats.size) p.set("nhom", [...s.cats].join(","));
    if (s.province && !single) p.set("tinh", s.province);
    if (s.place) p.set("xa", s.place);
    if (s.types.size) p.set("loai", [...s.types].join(","));
    if (!sameSet(s.status, new Set(DEFAULT_STATUS))) {
      p.set("tt", s.status.size ? [...s.status].join(",") : "tat-ca");
    }
    if (s.price) p.set("gia", s.price[0] + "-" + (s.price[1] === null ? "" : s.price[1]));
    if (s.sort) p.set("sx", s.sort);
    if (s.page > 1) p.set("trang", String(s.page));
    return p;
  }

  function toURL(s) {
    const query = toParams(s).toString();
    return location.pathname + (query ? "?" + query : "");
  }

  // --- form <-> state ------------------------------------------------------------
  function checked(name) {
    return new Set(Array.from(form.querySelectorAll("input[name=" + name + "]:checked"),
      (i) => i.value));
  }

  function fromForm(page) {
    const s = emptyState();
    s.q = q.value;
    s.stars = checked("sao");
    s.cats = checked("nhom");
    s.province = provinceSelect ? provinceSelect.value : "";
    s.place = placeSelect.value;
    s.types = checked("loai");
    s.status = checked("tt");
    const bucket = form.querySelector("input[name=gia]:checked");
    if (bucket && bucket.value) {
      s.price = parsePrice(bucket.value);
    } else if (minInput.value || maxInput.value) {
      s.price = [Number(minInput.value) || 0, maxInput.value ? Number(maxInput.value) : null];
    }
    s.sort = sort.value === defaultSort(s) ? "" : sort.value;
    s.page = page || 1;
    return s;
  }

  function defaultSort(s) {
    return T.tokens(s.q).length ? "phu-hop" : "ten";
  }

  function toForm(s) {
    q.value = s.q;
    for (const input of form.querySelectorAll("input[type=checkbox]")) {
      const set = { sao: s.stars, nhom: s.cats, loai: s.types, tt: s.status }[input.name];
      if (set) input.checked = set.has(input.value);
    }
    const priceValue = s.price ? s.price[0] + "-" + (s.price[1] === null ? "" : s.price[1]) : "";
    let preset = false;
    for (const radio of form.querySelectorAll("input[name=gia]")) {
      radio.checked = radio.value === priceValue;
      preset = preset || (radio.checked && radio.value !== "");
    }
    minInput.value = s.price && !preset ? String(s.price[0] || "") : "";
    maxInput.value = s.price && !preset && s.price[1] !== null ? String(s.price[1]) : "";
    if (!s.price) form.querySelector("input[name=gia][value='']").checked = true;
    if (provinceSelect) provinceSelect.value = s.province;
    sort.value = s.sort || defaultSort(s);
    sort.querySelector("option[value=phu-hop]").disabled = !T.tokens(s.q).length;
  }

  // --- data --------------------------------------------------------------------------
  let data = null;
  let single = "";
  const provinceData = new Map();

  function column(value, n) {
    if (typeof value !== "string") return Int32Array.from(value);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = ALPHABET.indexOf(value[i]);
    return out;
  }

  async function loadData() {
    const f = await S.load("facets.json");
    const n = f.n;
    data = {
      n,
      stars: Int32Array.from(f.stars, Number),
      status: f.status,
      cat: column(f.cat, n),
      type: column(f.type, n),
      prov: column(f.prov, n),
      price: Float64Array.from(f.price),
      groups: f.groups.map((g) => g[0]),
      cats: f.cats.map((c) => c[0]),
      catGroup: f.cats.map((c) => c[2]),
      types: f.types.map((t) => t[0]),
      provs: f.provs.map((p) => p[0]),
    };
    if (data.provs.length === 1) single = data.provs[0];
  }

  /** Commune of every product of one province: {places, of: Int32Array (-1 elsewhere)}. */
  async function loadProvince(slug) {
    if (!provinceData.has(slug)) {
      provinceData.set(slug, S.load("p/" + slug + ".json").then((p) => {
        const index = data.provs.indexOf(slug);
        const of = new Int32Array(data.n).fill(-1);
        let k = 0;
        for (let i = 0; i < data.n; i++) {
          if (data.prov[i] === index) of[i] = p.idx[k++];
        }
        return { places: p.places, of };
      }));
    }
    return provinceData.get(slug);
  }

  // --- filtering and counting -------------------------------------------------------
  const PRICE_BUCKETS = Array.from(form.querySelectorAll("input[name=gia]"))
    .map((r) => r.value).filter(Boolean);

  function inPrice(price, range) {
    return price >= 0 && price >= range[0] && (range[1] === null || price <= range[1]);
  }

  /** Facet predicates of a state; null where the facet does not filter. */
  function predicates(s, prov) {
    const d = data;
    const stars = s.stars.size ? new Set([...s.stars].map(Number)) : null;
    const cats = s.cats.size ? s.cats : null;
    const types = s.types.size ? s.types : null;
    const status = s.status.size ? new Set([...s.status].map((c) => STATUS_CODES[c])) : null;
    const province = s.province ? d.provs.indexOf(s.province) : -1;
    const place = prov && s.place ? prov.places.findIndex((p) => p[0] === s.place) : -1;
    return [
      stars && ((i) => stars.has(d.stars[i])),
      cats && ((i) => cats.has(d.cats[d.cat[i]]) || cats.has(d.groups[d.catGroup[d.cat[i]]])),
      s.province ? ((i) => d.prov[i] === province) : null,
      prov && s.place ? ((i) => prov.of[i] === place) : null,
      types && ((i) => types.has(d.types[d.type[i]])),
      status && ((i) => status.has(d.status[i])),
      s.price && ((i) => inPrice(d.price[i], s.price)),
    ];
  }

  const FACETS = ["sao", "nhom", "tinh", "xa", "loai", "tt", "gia"];

  function countValue(counts, f, i, prov) {
    const d = data;
    const add = (key) => counts[f].set(key, (counts[f].get(key) || 0) + 1);
    switch (FACETS[f]) {
      case "sao": add(String(d.stars[i])); break;
      case "nhom": add(d.cats[d.cat[i]]); add(d.groups[d.catGroup[d.cat[i]]]); break;
      case "tinh": add(d.provs[d.prov[i]]); break;
      case "xa": if (prov && prov.of[i] >= 0) add(prov.places[prov.of[i]][0]); break;
      case "loai": add(d.types[d.type[i]]); break;
      case "tt": add(Object.keys(STATUS_CODES).find((k) => STATUS_CODES[k] === d.status[i])); break;
      case "gia":
        for (const b of PRICE_BUCKETS) if (inPrice(d.price[i], parsePrice(b))) add(b);
        break;
    }
  }

  /** Products passing every filter, and each facet's counts (its own filter ignored). */
  function filter(s, base, prov) {
    const preds = predicates(s, prov);
    const counts = FACETS.map(() => new Map());
    const matched = [];
    const F = preds.length;
    const each = (i) => {
      let failed = -1;
      for (let f = 0; f < F; f++) {
        if (preds[f] && !preds[f](i)) {
          if (failed >= 0) return;
          failed = f;
        }
      }
      if (failed >= 0) {
        countValue(counts, failed, i, prov);
        return;
      }
      matched.push(i);
      for (let f = 0; f < F; f++) countValue(counts, f, i, prov);
    };
    if (base) base.forEach(each);
    else for (let i = 0; i < data.n; i++) each(i);
    return { matched, counts };
  }

  function sortResults(ids, s, rank) {
    const d = data;
    const key = s.sort || defaultSort(s);
    const byName = (a, b) => a - b;
    if (key === "phu-hop" && rank) {
      ids.sort((a, b) => rank.get(a) - rank.get(b));
    } else if (key === "sao") {
      ids.sort((a, b) => d.stars[b] - d.stars[a] || byName(a, b));
    } else if (key === "gia-tang" || key === "gia-giam") {
      const sign = key === "gia-tang" ? 1 : -1;
      ids.sort((a, b) => {
        const pa = d.price[a], pb = d.price[b];
        if ((pa < 0) !== (pb < 0)) return pa < 0 ? 1 : -1; // no price: last
        return sign * (pa - pb) || byName(a, b);
      });
    } else {
      ids.sort(byName);
    }
    return ids;
  }

  // --- rendering -------------------------------------------------------------------
  const CARD_SIZES = "(min-width: 87.5em) 17vw, (min-width: 68.75em) 20vw, " +
    "(min-width: 56.25em) 25vw, (min-width: 37.5em) 33vw, 50vw";

  function card(rec) {
    const li = T.el("li", "ocop-card");
    const a = T.el("a", "ocop-card__link");
    a.href = S.href(rec);
    // The card grid's columns (ocop.css ul.ocop-cards): 2, 3, 4, 5, 6.
    a.append(S.thumb(rec, "ocop-card__img", CARD_SIZES),
      T.el("span", "ocop-card__name", rec.title));
    li.append(a);
    const b = S.badge(rec, true);
    if (b) li.append(b);
    li.append(T.el("span", "ocop-card__meta", rec.sub + " · " + rec.place));
    if (rec.price >= 0) {
      li.append(T.el("span", "ocop-card__price", T.vnd(rec.price) + " / " + rec.unit));
    }
    return li;
  }

  function renderCounts(counts, prov, s) {
    FACETS.forEach((facet, f) => {
      if (facet === "tinh" || facet === "xa") return;
      root.querySelectorAll("[data-facet=" + facet + "] [data-count]").forEach((node) => {
        node.textContent = "(" + T.thousands(counts[f].get(node.dataset.count) || 0) + ")";
      });
    });
    if (provinceSelect) {
      for (const option of provinceSelect.options) {
        if (!option.value) continue;
        option.textContent = option.dataset.label + " (" +
          T.thousands(counts[2].get(option.value) || 0) + ")";
      }
    }
    const placeField = placeSelect.closest("[data-facet=xa]");
    placeField.hidden = !prov;
    const options = [new Option(T.t("Tất cả xã, phường"), "")];
    if (prov) {
      for (const [slug, name] of prov.places) {
        const n = counts[3].get(slug) || 0;
        if (!n && slug !== s.place) continue;
        options.push(new Option(name + " (" + T.thousands(n) + ")", slug));
      }
    }
    placeSelect.replaceChildren(...options);
    placeSelect.value = s.place;
  }

  function pageLink(label, page, current) {
    if (page === current) {
      const span = T.el("span", "", label);
      span.setAttribute("aria-current", "page");
      return span;
    }
    const a = T.el("a", "", label);
    const s = Object.assign({}, state, { page });
    a.href = toURL(s);
    a.addEventListener("click", (event) => {
      event.preventDefault();
      go(s, true);
      list.scrollIntoView({ block: "start" });
    });
    return a;
  }

  function renderPager(total, page) {
    const count = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const items = [];
    if (count > 1) {
      if (page > 1) items.push(pageLink("‹ " + T.t("Trang trước"), page - 1, 0));
      for (let n = 1; n <= count; n++) {
        if (n === 1 || n === count || Math.abs(n - page) <= 2) {
          items.push(pageLink(String(n), n, page));
        } else if (Math.abs(n - page) === 3) {
          items.push(T.el("span", "ocop-pager__gap", "…"));
        }
      }
      if (page < count) items.push(pageLink(T.t("Trang sau") + " ›", page + 1, 0));
    }
    pager.replaceChildren(...items);
    pager.hidden = count <= 1;
  }

  // --- the loop --------------------------------------------------------------------
  let state = fromURL();
  let serial = 0;
  let searched = { q: null, results: null };

  async function update() {
    const mine = ++serial;
    const s = state;
    root.setAttribute("aria-busy", "true");
    if (!data) await loadData();
    if (single) s.province = single;
    const words = T.tokens(s.q);
    let base = null;
    let rank = null;
    if (words.length) {
      if (searched.q !== s.q) searched = { q: s.q, results: await S.search(s.q) };
      const products = searched.results.filter((r) => r.doc < data.n);
      base = products.map((r) => r.doc);
      // search() ranks as the header box does (every word in a name or the facts first).
      rank = new Map(products.map((r, i) => [r.doc, i]));
    }
    const prov = s.province ? await loadProvince(s.province) : null;
    if (mine !== serial) return;
    const { matched, counts } = filter(s, base, prov);
    sortResults(matched, s, rank);
    const pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
    const page = Math.min(s.page, pages);
    const shown = matched.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    // The page came with these results already shown: keep them (nothing moves).
    const kept = list.dataset.prerendered === shown.join(",");
    delete list.dataset.prerendered;
    const recs = kept ? null : await S.records(shown);
    if (mine !== serial) return;
    renderCounts(counts, prov, s);
    if (!kept) list.replaceChildren(...recs.map(card));
    countLine.textContent = matched.length
      ? T.tn("%(num)s sản phẩm", "%(num)s sản phẩm", matched.length) +
        (pages > 1 ? " · " + T.t("trang %(page)s/%(pages)s", { page: page, pages: pages }) : "")
      : T.t("Không có sản phẩm nào phù hợp. Hãy bỏ bớt bộ lọc hoặc đổi từ khóa.");
    renderPager(matched.length, page);
    showButton.textContent = T.tn("Xem %(num)s sản phẩm", "Xem %(num)s sản phẩm", matched.length);
    root.removeAttribute("aria-busy");
    root.dataset.state = "ready";
  }

  function go(s, push) {
    state = s;
    if (toURL(s) !== location.pathname + location.search) T.writeParams(toParams(s), push);
    toForm(s);
    update().catch(failed);
  }

  function failed() {
    countLine.textContent = T.t("Không tải được dữ liệu tìm kiếm. Hãy tải lại trang.");
    root.removeAttribute("aria-busy");
  }

  let typing = 0;
  q.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      const s = fromForm(1);
      // Typing refines one view: keep one history entry for it.
      go(s, false);
    }, 200);
  });
  form.addEventListener("change", (event) => {
    if (event.target === q) return;
    if (event.target === provinceSelect) placeSelect.value = "";
    if (event.target === minInput || event.target === maxInput) {
      form.querySelectorAll("input[name=gia]").forEach((r) => { r.checked = false; });
    }
    if (event.target.name === "gia") { minInput.value = ""; maxInput.value = ""; }
    go(fromForm(1), true);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    go(fromForm(1), true);
  });
  root.querySelector("[data-reset]").addEventListener("click", () => {
    const s = emptyState();
    s.q = q.value;
    go(s, true);
  });
  showButton.addEventListener("click", () => {
    filters.open = false;
    countLine.scrollIntoView({ block: "start" });
    countLine.focus({ preventScroll: true });
  });
  window.addEventListener("popstate", () => {
    state = fromURL();
    toForm(state);
    update().catch(failed);
  });

  // The filters arrive folded so that nothing moves on phones and tablets,
  // where they sit above the results; a wide screen shows them as a side
  // column, where opening them pushes nothing.
  if (window.matchMedia("(min-width: 60em)").matches) filters.open = true;
  toForm(state);
  update().catch(failed);
})();
