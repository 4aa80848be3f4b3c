/* Embedded views (/embed/map, /embed/timeseries, /embed/card, /embed/sources) tell the page
 * that frames them how tall they are, so the report can size the <iframe> to fit:
 *
 *   window.parent.postMessage({type: "nws-embed-height", height: <px>, view: "map"}, "*")
 *
 * on load and whenever the document's size changes (ResizeObserver). The height is not
 * secret, hence the "*" target. Dash serves every file in assets/ on every page, so this is
 * a no-op unless the path is an /embed/ path (under any base path) and the page is framed.
 */
(function () {
    "use strict";
    var match = window.location.pathname.match(/\/embed\/([a-z]+)\/?$/);
    if (!match || window.parent === window) {
        return;
    }
    var view = match[1];
    var last = -1;

    function post() {
        var height = document.documentElement.scrollHeight;
        if (height === last) {
            return;
        }
        last = height;
        window.parent.postMessage({type: "nws-embed-height", height: height, view: view}, "*");
    }

    window.addEventListener("load", post);
    if (typeof ResizeObserver === "function") {
        var observer = new ResizeObserver(post);
        observer.observe(document.documentElement);
        if (document.body) {
            observer.observe(document.body);
        } else {
            document.addEventListener("DOMContentLoaded", function () {
                observer.observe(document.body);
            });
        }
    } else {
        window.addEventListener("resize", post);
    }
})();
