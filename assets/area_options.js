/* The overview's area picker gets its 136 options (names in English and Arabic, aliases,
 * P-codes: 8 KB compressed) when it is first pointed at, touched or focused, not with the
 * page (components/filters.py): on a slow link the first view then draws sooner. The
 * picker starts with the selected areas' options only.
 *
 * Two Dash clientside callbacks:
 * - lazyOptions, run once when the picker is rendered: listens on the document (the picker
 *   is a lazily loaded component, and re-rendered), fetches the options' versioned URL
 *   (/geo/areas.json?v=..., cached for a year) on first use and sets them (set_props);
 * - pickAreas: a click on the map (components/map_view.py) selects the clicked Syrian area,
 *   or clears the selection when that area was the only one selected; a click on the Turkish
 *   context or outside any area changes nothing. The areas become the picker's value
 *   together with the options they need: a value without its option is dropped by
 *   dcc.Dropdown. In the browser, so a click costs no round trip before the state changes.
 */
(function () {
    "use strict";
    var EVENTS = ["pointerover", "focusin", "touchstart"];
    var listening = {}; // picker id -> true: a second run of the callback adds nothing
    var fetched = {}; // url -> Promise of the options

    function fetchOptions(url) {
        if (!fetched[url]) {
            fetched[url] = fetch(url, {credentials: "same-origin"})
                .then(function (resp) {
                    if (!resp.ok) {
                        throw new Error("HTTP " + resp.status + " for " + url);
                    }
                    return resp.json();
                })
                .catch(function (err) {
                    delete fetched[url]; // try again next time
                    throw err;
                });
        }
        return fetched[url];
    }

    function lazyOptions(url, id) {
        var nu = window.dash_clientside.no_update;
        if (!url || !id || listening[id]) {
            return nu;
        }
        listening[id] = true;
        var state = {loading: false, done: false};

        function load(event) {
            if (state.loading || state.done) {
                return;
            }
            var target = event.target;
            if (!target || typeof target.closest !== "function" || !target.closest("#" + id)) {
                return;
            }
            state.loading = true;
            fetchOptions(url)
                .then(function (options) {
                    state.done = true;
                    EVENTS.forEach(function (name) {
                        document.removeEventListener(name, load, true);
                    });
                    window.dash_clientside.set_props(id, {options: options});
                })
                .catch(function (err) {
                    state.loading = false; // try again on the next touch
                    console.warn("area options not loaded:", err);
                });
        }

        EVENTS.forEach(function (name) {
            document.addEventListener(name, load, {capture: true, passive: true});
        });
        return nu;
    }

    function clickedArea(click) {
        var points = click && Array.isArray(click.points) ? click.points : [];
        var loc = points.length && points[0] ? points[0].location : null;
        return typeof loc === "string" && loc.indexOf("SY") === 0 ? loc : null;
    }

    function pickAreas(click, current, options, url) {
        var nu = window.dash_clientside.no_update;
        var pcode = clickedArea(click);
        if (pcode === null) {
            return [nu, nu];
        }
        var now = Array.isArray(current) ? current : [];
        var picked = now.length === 1 && now[0] === pcode ? [] : [pcode];
        var have = {};
        (options || []).forEach(function (o) {
            have[o.value] = true;
        });
        if (!url || picked.every(function (p) { return have[p]; })) {
            return [picked, nu];
        }
        return fetchOptions(url).then(function (all) {
            return [picked, all];
        });
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        nws: Object.assign({}, (window.dash_clientside || {}).nws, {
            lazyOptions: lazyOptions,
            pickAreas: pickAreas
        })
    });
})();
