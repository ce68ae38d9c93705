/* Catalogue search: the chunked index (generator/write/search_index.py) and the
 * search box in the header. The product finder (ocop-finder.js) uses the same
 * engine through window.ocopSearch. Queries are folded by ocopText.fold
 * (ocop-text.js), exactly as the index's words were folded at build time.
 */
(function () {
  "use strict";

  const T = window.ocopText;
  const { fold, tokens, el, vnd, t, tn } = T;

  // --- where the site and the index are ------------------------------------------
  const SCRIPT = document.currentScript;
  // This file is at <site>/assets/javascripts/ocop-search.js.
  const ROOT = new URL("../../", SCRIPT ? SCRIPT.src : location.href);
  // Each language has its index (generator/write/search_files.py), in its folder.
  const INDEX = new URL(T.folder + "assets/ocop-search/", ROOT);

  const fetched = new Map();
  let manifestPromise = null;

  function getJSON(path, version) {
    const url = new URL(path, INDEX);
    if (version) url.searchParams.set("v", version);
    const key = url.href;
    if (!fetched.has(key)) {
      // The manifest names the version of everything else: always revalidate it.
      const init = version ? {} : { cache: "no-cache" };
      fetched.set(key, fetch(url, init).then((r) => {
        if (!r.ok) throw new Error(r.status + " " + url.pathname);
        return r.json();
      }).catch((err) => { fetched.delete(key); throw err; }));
    }
    return fetched.get(key);
  }

  function manifest() {
    if (!manifestPromise) {
      // Named by the index format (MANIFEST in search_index.py): a script from before a
      // format change, still in a browser's cache, finds no manifest rather than misreads.
      manifestPromise = getJSON("manifest-2.json").then((m) => {
        // Two tiers of token chunks (search_index.py): t/ names and facts, x/ descriptions.
        m.tiers = [tier("t/", m.keys), tier("x/", m.xkeys || [])];
        return m;
      });
      manifestPromise.catch(() => { manifestPromise = null; });
    }
    return manifestPromise;
  }

  function tier(folder, keys) {
    return { folder, keys, keySet: new Set(keys), maxKey: Math.max(1, ...keys.map((k) => k.length)) };
  }

  /** Index file of data the whole site shares (facets, provinces), at this version. */
  async function load(path) {
    const m = await manifest();
    return getJSON(path, m.v);
  }

  function keyFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "_" + Array.from(new TextEncoder().encode(key),
      (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** Chunk keys of a tier that may hold ``word`` (exact) or words starting with it (prefix). */
  function keysFor(t, word, prefix) {
    const keys = [];
    for (let n = Math.min(word.length, t.maxKey); n >= 1; n--) {
      const k = word.slice(0, n);
      if (t.keySet.has(k)) { keys.push(k); break; }
    }
    // Words longer than a split chunk's key live in deeper chunks; only worth
    // loading once the word is specific enough (a two-letter prefix is not).
    if (prefix && word.length >= 3) {
      for (const k of t.keys) {
        if (k.length > word.length && k.startsWith(word)) keys.push(k);
      }
    }
    return keys;
  }

  /** True when words of names and facts starting with ``word`` are in chunks a short
   * prefix does not load (descriptions match whole words: their chunks do not matter). */
  function split(m, word) {
    return m.tiers[0].keys.some((k) => k.length > word.length && k.startsWith(word));
  }

  /** doc → best score of one word in one tier (weight × 2 for the whole word, × 1 for a prefix). */
  async function hits(m, t, word, prefix) {
    const chunks = await Promise.all(
      keysFor(t, word, prefix).map((k) => getJSON(t.folder + keyFile(k) + ".json", m.v)));
    const best = new Map();
    for (const chunk of chunks) {
      for (const token in chunk) {
        const exact = token === word;
        if (!exact && !(prefix && token.startsWith(word))) continue;
        const bonus = exact ? 2 : 1;
        let doc = 0;
        for (const v of chunk[token]) {
          doc += v >> 2;
          const score = (v & 3) * bonus;
          if ((best.get(doc) || 0) < score) best.set(doc, score);
        }
      }
    }
    return best;
  }

  /** Documents in every map, with their summed score and whether every word was strong. */
  function intersect(perWord, strongPerWord) {
    const order = perWord.map((map, i) => i).sort((a, b) => perWord[a].size - perWord[b].size);
    const [first, ...rest] = order;
    const results = [];
    for (const [doc, score] of perWord[first]) {
      let total = score;
      let ok = true;
      for (const i of rest) {
        const s = perWord[i].get(doc);
        if (!s) { ok = false; break; }
        total += s;
      }
      if (!ok) continue;
      const strong = strongPerWord.every((map) => map.has(doc));
      results.push({ doc, score: total, strong });
    }
    // Every word in a name or the facts first; then by score, then in name order.
    results.sort((a, b) => (b.strong - a.strong) || b.score - a.score || a.doc - b.doc);
    return results;
  }

  /**
   * Documents matching every word of ``query`` (the last word as a prefix while it
   * is being typed; words of descriptions only whole), best first: [{doc, score,
   * strong}]. Returns null for an empty query. With ``enough``, descriptions are
   * searched only when names and facts give fewer than ``enough`` results;
   * ``results.complete`` says whether they were.
   */
  async function search(query, enough) {
    const m = await manifest();
    let words = tokens(query);
    const typing = !/\s$/.test(query);
    // "mam chau d": a last letter alone says little; search what is complete. In the
    // header box (``enough``) also "mam ca li" while "li…" words are in chunks not
    // loaded yet: it would empty the list until the third letter. The finder keeps
    // such a word (a query from a link is not being typed).
    if (typing && words.length > 1) {
      const last = words[words.length - 1];
      if (last.length < 2 || (enough && last.length < 3 && split(m, last))) {
        words = words.slice(0, -1);
      }
    }
    if (!words.length) return null;
    const prefixes = words.map((w, i) => typing && i === words.length - 1 && w.length >= 2);
    const [names, texts] = m.tiers;
    const strong = await Promise.all(words.map((w, i) => hits(m, names, w, prefixes[i])));
    let results = intersect(strong, strong);
    results.complete = false;
    if (!enough || results.length < enough) {
      // Descriptions match whole words only: a prefix of a common word ("tr", "ph")
      // in thousands of descriptions says little and costs the most bytes.
      const weak = await Promise.all(words.map((w) => hits(m, texts, w, false)));
      // A document is in one tier per token, but a prefix matches several tokens.
      const merged = strong.map((map, i) => {
        const all = new Map(weak[i]);
        for (const [doc, score] of map) all.set(doc, Math.max(score, all.get(doc) || 0));
        return all;
      });
      results = intersect(merged, strong);
      results.complete = true;
    }
    return results;
  }

  const FIELDS = ["kind", "url", "title", "sub", "place", "stars", "status", "price", "unit",
    "thumb"];

  /** Display records of documents (numbers), in the same order. */
  async function records(docs) {
    const m = await manifest();
    const shards = await Promise.all(docs.map((d) =>
      getJSON("d/" + Math.floor(d / m.shard) + ".json", m.v)));
    return docs.map((d, i) => {
      const row = shards[i][d % m.shard];
      const rec = { doc: d };
      FIELDS.forEach((f, j) => { rec[f] = row[j]; });
      return rec;
    });
  }

  // --- shared rendering ------------------------------------------------------------
  const STATUS = { v: "valid", e: "expiring", x: "expired", r: "revoked" };
  const STATUS_LABELS = {
    v: t("còn hiệu lực"), e: t("sắp hết hạn"), x: t("đã hết hạn"), r: t("đã thu hồi"),
  };
  // As generator/source/certificates.py CARD_LABELS: a card's badge is narrow.
  const CARD_LABELS = { x: t("hết hạn"), r: t("thu hồi") };
  const KIND_LABELS = {
    p: t("Sản phẩm"), c: t("Chủ thể OCOP"), s: t("Điểm bán"), f: t("Hội chợ"),
    l: t("Danh mục"), g: t("Trang"),
  };

  /** The star badge of a product record (as partials/ocop/macros.html badge()). */
  function badge(rec, compact) {
    const certified = rec.status === "v" || rec.status === "e";
    if (!certified) {
      return el("span", "ocop-badge ocop-badge--inactive",
        compact ? "OCOP " + CARD_LABELS[rec.status]
          : t("Chứng nhận OCOP %(status)s", { status: STATUS_LABELS[rec.status] }));
    }
    const b = el("span", "ocop-badge ocop-badge--" + rec.stars);
    const stars = el("span", "ocop-badge__stars", "★".repeat(rec.stars));
    stars.setAttribute("aria-hidden", "true");
    if (compact) {
      b.append("OCOP ", stars,
        el("span", "ocop-sr-only", " " + t("%(stars)s sao", { stars: rec.stars })));
    } else b.append(stars, " " + t("OCOP %(stars)s sao", { stars: rec.stars }));
    return b;
  }

  function href(rec) {
    return new URL(rec.url, ROOT).href;
  }

  /**
   * The photo of a result: ``rec.thumb`` is a srcset (search_files.py: the 128 px
   * and 320 px WebP), ``sizes`` the width it is drawn at, so that a 48 px result row
   * fetches the small file and a finder card the larger one. ``later``: the photo
   * is not fetched until ``reveal()``.
   */
  function thumb(rec, className, sizes, later) {
    if (!rec.thumb) {
      const none = el("span", className + " " + className + "--none",
        (KIND_LABELS[rec.kind] || "?").charAt(0));
      none.setAttribute("aria-hidden", "true");
      return none;
    }
    const img = el("img", className);
    const sources = rec.thumb.split(", ").map((part) => {
      const [url, width] = part.split(" ");
      return new URL(url, ROOT).href + (width ? " " + width : "");
    });
    // sizes before srcset, so that the browser never picks with the default 100vw.
    if (sources.length > 1) img.sizes = sizes || "48px";
    img.dataset.srcset = sources.join(", ");
    img.dataset.src = sources[0].split(" ")[0];
    if (!later) reveal(img);
    img.alt = "";
    img.loading = "lazy";
    img.decoding = "async";
    return img;
  }

  /** Fetch the photos of ``thumb(…, later)`` images in ``node`` (or ``node`` itself). */
  function reveal(node) {
    const imgs = node.matches("img[data-src]") ? [node] : node.querySelectorAll("img[data-src]");
    for (const img of imgs) {
      img.srcset = img.dataset.srcset;
      img.src = img.dataset.src;
      delete img.dataset.srcset;
      delete img.dataset.src;
    }
  }

  // --- header search box -----------------------------------------------------------
  const SHOWN = 8;
  // While a query is typed, rows change at every letter: their photos are fetched
  // only once the list has stayed the same this long (ms). Typing "mam ca linh" on a
  // national catalogue fetched 38.8 KB of photos of rows nobody saw before this.
  const PHOTO_PAUSE = 300;

  function initBox(root) {
    const form = root.querySelector("form");
    const input = root.querySelector("input[role=combobox]");
    const panel = root.querySelector(".ocop-search__panel");
    const list = root.querySelector("[role=listbox]");
    const status = root.querySelector(".ocop-search__status");
    const all = root.querySelector(".ocop-search__all");
    const opener = root.querySelector(".ocop-search__open");
    const closer = root.querySelector(".ocop-search__close");
    const finder = root.dataset.finder;
    let active = -1;
    let serial = 0;
    let timer = 0;
    let photoTimer = 0;
    const shownPhotos = new Set();

    function options() { return Array.from(list.querySelectorAll("[role=option]")); }

    function setActive(i) {
      const opts = options();
      opts.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
      active = i;
      if (i >= 0 && opts[i]) {
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(open) {
      panel.hidden = !open;
      input.setAttribute("aria-expanded", String(open && options().length > 0));
    }

    function finderUrl(q) {
      const url = new URL(finder, location.href);
      if (q) url.searchParams.set("q", q);
      return url.href;
    }

    function option(rec, i) {
      const li = el("li", "ocop-result");
      li.id = "ocop-search-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const a = el("a", "ocop-result__link");
      a.href = href(rec);
      a.tabIndex = -1;
      const text = el("span", "ocop-result__text");
      text.append(el("span", "ocop-result__name", rec.title));
      const meta = el("span", "ocop-result__meta");
      const b = rec.kind === "p" ? badge(rec) : null;
      if (b) meta.append(b, " ");
      else if (rec.kind !== "p") meta.append(el("span", "ocop-result__kind", KIND_LABELS[rec.kind]), " ");
      meta.append(el("span", "ocop-result__place", rec.place || rec.sub));
      text.append(meta);
      const img = thumb(rec, "ocop-result__thumb", "48px", true);
      // A photo already on screen stays: no blank while the same rows come back.
      if (img.dataset && shownPhotos.has(img.dataset.src)) reveal(img);
      a.append(img, text);
      li.append(a);
      return li;
    }

    // The list is busy from the keystroke until the latest query's answer is shown
    // (the status keeps the previous answer during the pause before searching). A
    // keystroke also outdates a search still running: ``serial`` counts keystrokes.
    async function run() {
      const mine = serial;
      try {
        await answer(input.value, mine);
      } catch (err) {
        if (mine === serial) {
          status.textContent = t("Không tải được dữ liệu tìm kiếm. Hãy thử lại.");
        }
      } finally {
        if (mine === serial) list.removeAttribute("aria-busy");
      }
    }

    async function answer(q, mine) {
      if (!tokens(q).length) {
        list.replaceChildren();
        status.textContent = "";
        show(false);
        return;
      }
      const words = tokens(q);
      if (words.length === 1 && words[0].length < 2 && !/\s$/.test(q)) {
        list.replaceChildren();
        status.textContent = t("Gõ thêm chữ để tìm…");
        show(true);
        return;
      }
      status.textContent = t("Đang tìm…");
      show(true);
      const results = await search(q, SHOWN);
      if (mine !== serial) return;
      const top = results.slice(0, SHOWN);
      const recs = await records(top.map((r) => r.doc));
      if (mine !== serial) return;
      list.replaceChildren(...recs.map(option));
      clearTimeout(photoTimer);
      photoTimer = setTimeout(() => {
        if (mine !== serial) return;
        for (const img of list.querySelectorAll("img[data-src]")) shownPhotos.add(img.dataset.src);
        reveal(list);
      }, PHOTO_PAUSE);
      const m = await manifest();
      if (mine !== serial) return;
      const products = results.filter((r) => r.doc < m.products).length;
      // Without the description tier the count is only a lower bound (see search()).
      const count = results.complete
        ? tn("%(num)s kết quả", "%(num)s kết quả", results.length)
        : tn("Ít nhất %(num)s kết quả", "Ít nhất %(num)s kết quả", results.length);
      status.textContent = results.length
        ? count + (results.length > SHOWN ? t(", hiện %(shown)s kết quả đầu", { shown: SHOWN }) : "")
        : t("Không tìm thấy kết quả cho “%(query)s”.", { query: q.trim() });
      all.href = finderUrl(q.trim());
      all.textContent = !products ? t("Mở trang tìm và lọc sản phẩm")
        : results.complete
          ? tn("Xem và lọc cả %(num)s sản phẩm tìm được", "Xem và lọc cả %(num)s sản phẩm tìm được",
            products)
          : t("Xem và lọc mọi sản phẩm tìm được");
      setActive(-1);
      show(true);
    }

    input.addEventListener("input", () => {
      serial++;
      clearTimeout(timer);
      clearTimeout(photoTimer);
      list.setAttribute("aria-busy", "true");
      timer = setTimeout(run, 120);
    });
    input.addEventListener("focus", () => {
      manifest().catch(() => {});
      if (list.children.length || status.textContent) show(true);
    });
    input.addEventListener("keydown", (event) => {
      const opts = options();
      if (event.key === "ArrowDown" && opts.length) {
        event.preventDefault();
        show(true);
        setActive(active + 1 >= opts.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp" && opts.length) {
        event.preventDefault();
        setActive(active <= 0 ? opts.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (active >= 0 && opts[active]) {
          location.href = opts[active].querySelector("a").href;
        } else if (tokens(input.value).length) {
          location.href = finderUrl(input.value.trim());
        }
      } else if (event.key === "Escape") {
        if (!panel.hidden) {
          show(false);
          setActive(-1);
        } else if (input.value) {
          input.value = "";
          list.replaceChildren();
          status.textContent = "";
        } else {
          close();
        }
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (tokens(input.value).length) location.href = finderUrl(input.value.trim());
    });
    document.addEventListener("click", (event) => {
      if (!root.contains(event.target)) show(false);
    });
    root.addEventListener("focusout", (event) => {
      if (event.relatedTarget && !root.contains(event.relatedTarget)) show(false);
    });

    function close() {
      root.classList.remove("ocop-search--open");
      show(false);
      opener.focus();
    }
    opener.addEventListener("click", (event) => {
      event.preventDefault();
      root.classList.add("ocop-search--open");
      input.focus();
    });
    closer.addEventListener("click", close);
    root.classList.add("ocop-search--ready");
  }

  window.ocopSearch = {
    manifest, load, search, records, badge, href, thumb, STATUS, KIND_LABELS, ROOT,
  };

  function start() {
    document.querySelectorAll("[data-ocop-search]").forEach(initBox);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
