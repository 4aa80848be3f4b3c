/* Embedded views (/embed/map, /embed/timeseries, /embed/card, /embed/sources) tell the page
 * that frames them how tall their content is, so the report can size the <iframe> to fit:
 *
 *   window.parent.postMessage({type: "nws-embed-height", height: <px>, view: "map"}, "*")
 *
 * on load and whenever the content's size changes (ResizeObserver on <body>). The height
 * is that of the content (<body> and its margins), not documentElement.scrollHeight, which
 * never drops below the frame's own height: frames shrink as well as grow. The height is
 * not secret, hence the "*" target; the snippet the dashboard gives ("Copy embed code")
 * checks the message's origin and source and only ever sets a height from it.
 * Dash serves every file in assets/ on every page, so this is a no-op unless the path is
 * an /embed/ path (under any base path) and the page is framed.
 */
(function () {
    "use strict";
    var match = window.location.pathname.match(/\/embed\/([a-z]+)\/?$/);
    if (!match || window.parent === window) {
        return;
    }
    var view = match[1];
    var last = -1;

    function contentHeight() {
        var body = document.body;
        if (!body) {
            return document.documentElement.scrollHeight;
        }
        var style = window.getComputedStyle(body);
        var margins = (parseFloat(style.marginTop) || 0) + (parseFloat(style.marginBottom) || 0);
        return Math.ceil(body.getBoundingClientRect().height + margins);
    }

    function post() {
        var height = contentHeight();
        if (height === last || height <= 0) {
            return;
        }
        last = height;
        window.parent.postMessage({type: "nws-embed-height", height: height, view: view}, "*");
    }

    window.addEventListener("load", post);
    window.addEventListener("resize", post);  // a narrower column wraps the footer
    if (typeof ResizeObserver === "function") {
        var observer = new ResizeObserver(post);
        if (document.body) {
            observer.observe(document.body);
        } else {
            document.addEventListener("DOMContentLoaded", function () {
                observer.observe(document.body);
            });
        }
    }
})();
