/* "Copy embed code" on the dashboard's views (components/downloads.py).
 * A Dash clientside callback: copies the view's <iframe> snippet to the clipboard with the
 * Clipboard API, or, where it is missing (plain http on a LAN address is not a secure
 * context), with a hidden textarea and document.execCommand("copy"). Returns the status text.
 */
(function () {
    "use strict";

    function fallbackCopy(text) {
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.top = "-1000px";
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try {
            ok = document.execCommand("copy");
        } catch (e) {
            ok = false;
        }
        document.body.removeChild(area);
        return ok;
    }

    /* Status texts in the page's language (assets/i18n.js, loaded after this file: so
     * looked up when a copy is made, not when the file is read). */
    function copied() {
        return nwsT("Copied: paste it into the report's HTML");
    }
    function manual() {
        return nwsT("Copy the code below by hand (the browser blocked the clipboard)");
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        nws: Object.assign({}, (window.dash_clientside || {}).nws, {
            copyEmbed: function (nClicks, snippet) {
                if (!nClicks || !snippet) {
                    return window.dash_clientside.no_update;
                }
                if (navigator.clipboard && window.isSecureContext) {
                    return navigator.clipboard.writeText(snippet).then(
                        function () { return copied(); },
                        function () { return fallbackCopy(snippet) ? copied() : manual(); }
                    );
                }
                return fallbackCopy(snippet) ? copied() : manual();
            }
        })
    });
})();
