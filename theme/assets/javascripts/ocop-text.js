/* Text helpers shared by the search box, the product finder and the supplier
 * filter (window.ocopText): Vietnamese folding, DOM elements built from untrusted
 * text, number formats, CSV cells and the URL state of a filtered view.
 *
 * fold() gives what generator/vietnamese.py fold() gives, one character at a time:
 * đ/Đ → d, NFD, combining marks dropped, NFC, case folded, as of Unicode 14.0. The
 * Python side reads that from generator/data/fold-table.json; here the browser's own
 * NFD, NFC and lower-casing do it with the two tables below (tools/fold_tables.py),
 * and tests compare the two on every character of Unicode 14.0.
 */
(function () {
  "use strict";

  /* BEGIN fold tables (tools/fold_tables.py) */
  // Unicode 14.0.0: characters whose fold is nothing (combining marks).
  const COMBINING = "\u0300-\u034e\u0350-\u036f\u0483-\u0487\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff\u093c\u094d\u0951-\u0954\u09bc\u09cd\u09fe\u0a3c\u0a4d\u0abc\u0acd\u0b3c\u0b4d\u0bcd\u0c3c\u0c4d\u0c55-\u0c56\u0cbc\u0ccd\u0d3b-\u0d3c\u0d4d\u0dca\u0e38-\u0e3a\u0e48-\u0e4b\u0eb8-\u0eba\u0ec8-\u0ecb\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f71-\u0f75\u0f7a-\u0f7d\u0f80-\u0f84\u0f86-\u0f87\u0fc6\u1037\u1039-\u103a\u108d\u135d-\u135f\u1714-\u1715\u1734\u17d2\u17dd\u18a9\u1939-\u193b\u1a17-\u1a18\u1a60\u1a75-\u1a7c\u1a7f\u1ab0-\u1abd\u1abf-\u1ace\u1b34\u1b44\u1b6b-\u1b73\u1baa-\u1bab\u1be6\u1bf2-\u1bf3\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce0\u1ce2-\u1ce8\u1ced\u1cf4\u1cf8-\u1cf9\u1dc0-\u1dff\u20d0-\u20dc\u20e1\u20e5-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\ua66f\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua806\ua82c\ua8c4\ua8e0-\ua8f1\ua92b-\ua92d\ua953\ua9b3\ua9c0\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1\uaaf6\uabed\ufb1e\ufe20-\ufe2f\u{101fd}\u{102e0}\u{10376}-\u{1037a}\u{10a0d}\u{10a0f}\u{10a38}-\u{10a3a}\u{10a3f}\u{10ae5}-\u{10ae6}\u{10d24}-\u{10d27}\u{10eab}-\u{10eac}\u{10f46}-\u{10f50}\u{10f82}-\u{10f85}\u{11046}\u{11070}\u{1107f}\u{110b9}-\u{110ba}\u{11100}-\u{11102}\u{11133}-\u{11134}\u{11173}\u{111c0}\u{111ca}\u{11235}-\u{11236}\u{112e9}-\u{112ea}\u{1133b}-\u{1133c}\u{1134d}\u{11366}-\u{1136c}\u{11370}-\u{11374}\u{11442}\u{11446}\u{1145e}\u{114c2}-\u{114c3}\u{115bf}-\u{115c0}\u{1163f}\u{116b6}-\u{116b7}\u{1172b}\u{11839}-\u{1183a}\u{1193d}-\u{1193e}\u{11943}\u{119e0}\u{11a34}\u{11a47}\u{11a99}\u{11c3f}\u{11d42}\u{11d44}-\u{11d45}\u{11d97}\u{16af0}-\u{16af4}\u{16b30}-\u{16b36}\u{16ff0}-\u{16ff1}\u{1bc9e}\u{1d165}-\u{1d169}\u{1d16d}-\u{1d172}\u{1d17b}-\u{1d182}\u{1d185}-\u{1d18b}\u{1d1aa}-\u{1d1ad}\u{1d242}-\u{1d244}\u{1e000}-\u{1e006}\u{1e008}-\u{1e018}\u{1e01b}-\u{1e021}\u{1e023}-\u{1e024}\u{1e026}-\u{1e02a}\u{1e130}-\u{1e136}\u{1e2ae}\u{1e2ec}-\u{1e2ef}\u{1e8d0}-\u{1e8d6}\u{1e944}-\u{1e94a}";
  // Case folds that differ from toLowerCase() (Cherokee is handled in code).
  const CASEFOLD = {"\u00b5":"\u03bc","\u00df":"ss","\u0149":"\u02bcn","\u017f":"s","\u03c2":"\u03c3","\u03d0":"\u03b2","\u03d1":"\u03b8","\u03d5":"\u03c6","\u03d6":"\u03c0","\u03f0":"\u03ba","\u03f1":"\u03c1","\u03f5":"\u03b5","\u0587":"\u0565\u0582","\u1c80":"\u0432","\u1c81":"\u0434","\u1c82":"\u043e","\u1c83":"\u0441","\u1c84":"\u0442","\u1c85":"\u0442","\u1c86":"\u044a","\u1c87":"\u0463","\u1c88":"\ua64b","\u1e9a":"a\u02be","\ufb00":"ff","\ufb01":"fi","\ufb02":"fl","\ufb03":"ffi","\ufb04":"ffl","\ufb05":"st","\ufb06":"st","\ufb13":"\u0574\u0576","\ufb14":"\u0574\u0565","\ufb15":"\u0574\u056b","\ufb16":"\u057e\u0576","\ufb17":"\u0574\u056d"};
  /* END fold tables */

  const COMBINING_RE = new RegExp("[" + COMBINING + "]", "gu");
  const CASEFOLD_RE = new RegExp(
    "[" + Object.keys(CASEFOLD).join("") + "\\uab70-\\uabbf\\u13f8-\\u13fd]", "gu");
  const WORD_RE = /[\p{L}\p{N}]+/gu;

  function caseFoldChar(c) {
    if (c in CASEFOLD) return CASEFOLD[c];
    const cp = c.codePointAt(0);
    if (cp >= 0xab70 && cp <= 0xabbf) return String.fromCodePoint(cp - 0xab70 + 0x13a0);
    return String.fromCodePoint(cp - 0x13f8 + 0x13f0);
  }

  const folded = new Map();

  function foldChar(c) {
    if (c === "đ" || c === "Đ") return "d";
    return c.normalize("NFD").replace(COMBINING_RE, "").normalize("NFC")
      .toLowerCase().replace(CASEFOLD_RE, caseFoldChar);
  }

  /** Lower-case text without tones or diacritics: "Mắm Châu Đốc" → "mam chau doc". */
  function fold(text) {
    let out = "";
    for (const c of String(text).normalize("NFC")) {
      if (c < "\u0080") { out += c.toLowerCase(); continue; }
      let f = folded.get(c);
      if (f === undefined) { f = foldChar(c); folded.set(c, f); }
      out += f;
    }
    return out;
  }

  /** Folded words, as generator/write/search_index.py tokens(). */
  function tokens(text) {
    return fold(text).match(WORD_RE) || [];
  }

  /** An element with a class and text: data only ever reaches the page as textContent. */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- the page's language -------------------------------------------------------------
  // Pages in a language other than Vietnamese load its folder and the translations of
  // the scripts' interface text first (<lang>/assets/javascripts/ocop-i18n.js, written
  // by generator/write/script_text.py); the scripts' text is Vietnamese, marked
  // t("…") for `make messages`.
  const I18N = window.ocopI18n || {};
  const MESSAGES = I18N.messages || {};
  /** Site folder of the page's language: "" (Vietnamese) or "en/". */
  const folder = I18N.folder || "";

  /** Interface text in the page's language, %(name)s filled from ``vars``. */
  function t(message, vars) {
    const text = typeof MESSAGES[message] === "string" ? MESSAGES[message] : message;
    return vars ? text.replace(/%\((\w+)\)s/g, (m, k) => String(vars[k])) : text;
  }

  /** t() for a count: the plural form the language needs; %(num)s is ``n``. */
  function tn(singular, plural, n, vars) {
    const forms = MESSAGES[singular];
    const text = Array.isArray(forms) ? forms[n === 1 ? 0 : 1] : (n === 1 ? singular : plural);
    return text.replace(/%\((\w+)\)s/g, (m, k) => String(k === "num" ? thousands(n) : vars[k]));
  }

  /** 12345 → "12.345" (as the number filter writes it), "12,345" in English. */
  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, I18N.group || ".");
  }

  /** 85000 → "85.000 ₫" (as the price filter writes it), "VND 85,000" in English. */
  function vnd(amount) {
    return I18N.price ? I18N.price.replace("0", thousands(amount)) : thousands(amount) + "\u00a0₫";
  }

  /** A CSV cell (RFC 4180) that a spreadsheet shows instead of running: as
   * generator/write/text_formats.py csv_cell(), then quoted where needed. */
  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // --- the URL state of a filtered view ----------------------------------------------
  /** The page's query parameters. */
  function readParams() {
    return new URLSearchParams(location.search);
  }

  /** A comma-separated parameter as a set: "sao=4,5" → {"4", "5"}. */
  function listParam(params, name) {
    const v = params.get(name);
    return new Set(v ? v.split(",").filter(Boolean) : []);
  }

  /** Show ``params`` in the address bar: a new history entry with ``push``, else in place. */
  function writeParams(params, push) {
    const query = params.toString();
    const url = location.pathname + (query ? "?" + query : "");
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  window.ocopText = {
    fold, tokens, el, thousands, vnd, csvCell, readParams, listParam, writeParams,
    t, tn, folder,
  };
})();
