/* The page's language and the browser scripts' translations (app/i18n/web.py writes them
 * into <script id="nws-i18n" type="application/json">). nwsT("text") answers the text in
 * the page's language; Babel's extractor finds nwsT("...") calls for the catalogs. */
(function () {
  var data = null;
  function load() {
    if (data) return data;
    data = { lang: "en", dir: "ltr", digits: "latn", strings: {} };
    var el = document.getElementById("nws-i18n");
    if (el) {
      try { data = JSON.parse(el.textContent); } catch (e) { /* keep English */ }
    }
    return data;
  }
  window.nwsT = function (text) {
    var s = load().strings;
    return (s && Object.prototype.hasOwnProperty.call(s, text)) ? s[text] : text;
  };
  window.nwsLang = function () { return load(); };
})();
