/* Phones (a window at most 640 px wide): the time series' legend goes below the plot, not
 * beside it, where it would leave the plot a sliver or cover it, and the graph grows to hold
 * it (hanging from the right edge in the Arabic interface). The figure builders keep their
 * desktop layout (app/figures/timeseries.py: legend to the right); this only re-lays out
 * graphs already drawn, in the browser, with plotly.js's own Plotly.relayout. A graph
 * redrawn by a callback gets its desktop legend back and is moved again on the next check.
 * The map's legend is below the map at every width already.
 */
(function () {
    "use strict";
    var NARROW = window.matchMedia ? window.matchMedia("(max-width: 640px)") : null;
    var ROW = 19;  // px per legend row at font size 10-11

    function entries(gd) {
        var n = 0;
        (gd.data || []).forEach(function (t) {
            if (t.showlegend !== false && t.visible !== false) { n += 1; }
        });
        var groups = {};
        (gd.data || []).forEach(function (t) { if (t.legendgroup) { groups[t.legendgroup] = 1; } });
        return n + Object.keys(groups).length;  // one title row per group
    }

    function fix(gd) {
        var legend = gd.layout && gd.layout.legend;
        if (!legend || legend.orientation === "h" || !(legend.x > 1)) { return; }
        if (gd.dataset.nwsPhoneLegend === "busy" || !window.Plotly) { return; }
        var base = (gd.layout.height || gd.clientHeight || 440);
        var height = Math.max(base, 300 + ROW * entries(gd));
        gd.dataset.nwsPhoneLegend = "busy";
        var wrapper = gd.closest(".dash-graph");
        if (wrapper) { wrapper.style.height = height + "px"; }
        // right to left (the Arabic interface): the legend hangs from the right edge
        var rtl = window.nwsLang && window.nwsLang().dir === "rtl";
        window.Plotly.relayout(gd, {
            "legend.orientation": "h", "legend.x": rtl ? 1 : 0,
            "legend.xanchor": rtl ? "right" : "left",
            "legend.y": -0.08, "legend.yanchor": "top", "height": height,
            "margin.r": 8
        }).then(function () { gd.dataset.nwsPhoneLegend = "done"; },
                function () { gd.dataset.nwsPhoneLegend = ""; });
    }

    function check() {
        if (!NARROW || !NARROW.matches) { return; }
        document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
            if (gd.closest("#map-graph, #embed-map-graph")) { return; }
            fix(gd);
        });
    }

    window.setInterval(check, 600);
})();
