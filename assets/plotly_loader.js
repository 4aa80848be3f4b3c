/* Load the plotly.js bundle without holding up the page (app/web/assets.py::load_plotly_lazily).
 *
 * The bundle (assets/vendor/plotly-nws.min.js, 0.39 MB) is not one of the page's <script>
 * tags: those run in order, so Dash's renderer would wait for it to download and run before
 * it even asks for the page's layout. The page's <head> names the bundle in
 * <meta name="nws-plotly">, and, on pages with a graph, preloads it. Until the bundle has
 * run, window.Plotly is a thenable: dcc.Graph's loader does
 * `Promise.resolve(window.Plotly || <load Dash's plotly.min.js>)`, so the first graph waits
 * for it (and loads it now if nothing preloaded it), and pages without a graph never load it.
 * The bundle ends with `window.Plotly = Plotly`, replacing the thenable.
 */
(function () {
    "use strict";
    var meta = document.querySelector('meta[name="nws-plotly"]');
    if (window.Plotly || !meta) {
        return; // already loaded, or a page without the app's <head>: Dash's own way applies
    }
    var url = meta.getAttribute("content");
    var loading = null;

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var script = document.createElement("script");
                script.src = url;
                script.onload = function () {
                    resolve(window.Plotly);
                };
                script.onerror = function () {
                    reject(new Error("plotly.js did not load from " + url));
                };
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    window.Plotly = {
        then: function (onLoaded, onFailed) {
            return load().then(onLoaded, onFailed);
        }
    };
})();
