/* The base map of plotly.js's SVG `geo` map, without a request.
 *
 * A `choropleth` makes plotly.js load the base map's topojson (`world_110m`) before it draws,
 * even with every base layer hidden, as the dashboard's map has them (its polygons come
 * from /geo/*.geojson). plotly.js first looks in `window.PlotlyGeoAssets.topojson` (the
 * mechanism of upstream's `plotly-geo-assets.js`), then fetches `config.topojsonURL`.
 * An empty topology here saves that round trip at the end of the first draw; the graphs'
 * `topojsonURL` (assets/topojson/, the same empty topology) stays as the fallback and keeps
 * it off cdn.plot.ly. Runs before the plotly.js bundle (Dash loads assets/*.js before
 * assets/vendor/), whose registry keeps an existing `PlotlyGeoAssets`.
 */
(function () {
    "use strict";
    var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});
    assets.topojson = assets.topojson || {};
    if (!assets.topojson.world_110m) {
        assets.topojson.world_110m = {type: "Topology", objects: {}, arcs: []};
    }
})();
