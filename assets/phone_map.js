/* Phones (a window at most 640 px wide): the map's graph is as tall as the map it draws.
 *
 * plotly.js keeps the map's shape (its longitude and latitude ranges, in its projection) and
 * centres it in the plot area. At 390 px the overview's 440 px graph drew a 218 px map with
 * some 70 px of white above and below it, and the embed's the same: the page looked broken
 * and the reader scrolled past nothing. Here the graph's height becomes the plot's width
 * times the opening frame's shape (``layout.meta.home_aspect``, from app/figures/map.py),
 * plus the margins plotly.js gave the legend and colour bar. A zoom to a tall area then
 * leaves white at the sides, never a taller graph: the height does not jump on a tap.
 * Fewer, smaller names too (``markNames``).
 *
 * The figure builders keep their desktop layout; this re-lays out graphs already drawn,
 * after every draw (``plotly_afterplot``: a new metric or level redraws at the figure's
 * height). Tested by tests/e2e/test_phone_map.py.
 */
(function () {
    "use strict";
    var NARROW = window.matchMedia ? window.matchMedia("(max-width: 640px)") : null;
    var GRAPHS = "#map-graph .js-plotly-plot, #embed-map-graph .js-plotly-plot";

    function wanted(gd) {
        var meta = gd.layout && gd.layout.meta;
        var size = gd._fullLayout && gd._fullLayout._size;
        if (!meta || !(meta.home_aspect > 0) || !size || !(size.w > 0)) { return 0; }
        return Math.ceil(size.w * meta.home_aspect) + size.t + size.b + 2;
    }

    // On a map some 350 px wide the names of the main towns already fill it: the
    // sub-districts' names (grey, kept in the hover) are left out and the towns' drawn
    // smaller, by CSS (assets/css/dashboard.css, phones) on the name layers marked here.
    // The marks are on the drawn layers, not the figure: restyling the figure's label traces
    // left plotly.js's choropleth layers bound to the previous traces.
    var PHONE_NAMES = { "labels-subdistrict": "hidden", "labels-town": "small" };

    function markNames(gd) {
        gd.querySelectorAll(".geo .scatterlayer .trace.scattergeo").forEach(function (g) {
            var d = g.__data__ && g.__data__[0] && g.__data__[0].trace;
            var mark = d && d.meta && PHONE_NAMES[d.meta.role];
            if (mark && g.getAttribute("data-nws-phone-names") !== mark) {
                g.setAttribute("data-nws-phone-names", mark);
            }
        });
    }

    function fit(gd) {
        if (!NARROW || !NARROW.matches || !window.Plotly || gd.dataset.nwsPhoneMap === "busy") {
            return;
        }
        markNames(gd);
        var want = wanted(gd);
        var now = gd._fullLayout && gd._fullLayout.height;
        if (!want || !now || Math.abs(now - want) < 4) { return; }
        var wrapper = gd.closest(".dash-graph");
        if (wrapper) { wrapper.style.height = want + "px"; }
        gd.dataset.nwsPhoneMap = "busy";
        window.Plotly.relayout(gd, { height: want }).then(
            function () { gd.dataset.nwsPhoneMap = "done"; },
            function () { gd.dataset.nwsPhoneMap = ""; }
        );
    }

    function attach() {
        document.querySelectorAll(GRAPHS).forEach(function (gd) {
            if (!gd.on) { return; }
            if (!gd.dataset.nwsPhoneMapHooked) {
                gd.dataset.nwsPhoneMapHooked = "1";
                gd.on("plotly_afterplot", function () { fit(gd); });
            }
            fit(gd);
        });
    }

    window.setInterval(attach, 600);
})();
