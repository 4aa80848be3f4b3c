/* "PNG" on the map and the chart (components/downloads.py::png_button; the embeds too).
 *
 * Drawn in the browser by plotly.js, offline: the graph's figure as it is shown (zoom and
 * hidden traces included) is cloned, gets the view's title above and a source line below
 * (publishers, as-of date, the dashboard's name: the button's data-title / data-footer,
 * kept current by the download bar's callback; data-title-from names an element whose text
 * is a better title, e.g. the chart's heading, which names the areas) in margins added for
 * them, and Plotly.downloadImage writes data-filename. The plot area keeps its size.
 * One listener on the document (the policy forbids inline scripts; Dash re-renders the
 * buttons). Dropdown menus (the chart's updatemenus) are left out of the image.
 */
(function () {
    "use strict";
    var TOP = 46; // px added above the plot for the title
    var LINE = 16; // px of one line of the source line (11 px text)
    var CHAR = 6.3; // px of an average character at 11 px: a guess, to wrap in time
    var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, 'Noto Sans Arabic', "
        + "'Noto Naskh Arabic', Tahoma, 'Geeza Pro', sans-serif";

    function rtl() {
        return document.documentElement.getAttribute("dir") === "rtl";
    }

    function graphDiv(id) {
        var holder = id ? document.getElementById(id) : null;
        if (!holder) {
            return null;
        }
        return holder.classList.contains("js-plotly-plot")
            ? holder
            : holder.querySelector(".js-plotly-plot");
    }

    function titleOf(button) {
        var from = button.getAttribute("data-title-from");
        var el = from ? document.getElementById(from) : null;
        var text = el ? (el.textContent || "").trim() : "";
        return text || button.getAttribute("data-title") || nwsT("North-west Syria");
    }

    function escapeText(text) {
        return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    /* The source line's parts (" · ") as lines that fit ``width`` px, escaped for plotly's
     * text (which reads a few HTML tags). */
    function wrap(text, width) {
        var most = Math.max(20, Math.floor((width - 16) / CHAR));
        var lines = [];
        text.split(" · ").forEach(function (part) {
            var last = lines.length - 1;
            if (last >= 0 && lines[last].length + 3 + part.length <= most) {
                lines[last] += " · " + part;
            } else {
                lines.push(part);
            }
        });
        return lines.map(escapeText);
    }

    function imageFigure(gd, title, footer) {
        var size = gd._fullLayout._size; // margins as drawn, legend pushes included
        var width = gd._fullLayout.width;
        var lines = wrap(footer, width);
        var BOTTOM = 14 + LINE * lines.length;
        var height = gd._fullLayout.height + TOP + BOTTOM;
        var layout = JSON.parse(JSON.stringify(gd.layout));
        layout.width = width;
        layout.height = height;
        layout.margin = {l: size.l, r: size.r, t: size.t + TOP, b: size.b + BOTTOM, pad: 0};
        layout.updatemenus = [];
        layout.paper_bgcolor = layout.paper_bgcolor || "#ffffff";
        var right = rtl(); // Arabic: title and source line start at the right edge
        layout.title = {
            text: escapeText(title),
            x: right ? 1 - 8 / width : 8 / width,
            xanchor: right ? "right" : "left",
            xref: "container",
            y: 1 - 10 / height,
            yanchor: "top",
            yref: "container",
            font: {family: FONT, size: 16, color: "#1f2933"}
        };
        layout.annotations = (layout.annotations || []).concat([{
            text: lines.join("<br>"),
            showarrow: false,
            xref: "paper",
            x: right ? 1 : 0,
            xanchor: right ? "right" : "left",
            xshift: right ? size.r - 8 : 8 - size.l,
            yref: "paper",
            y: 0,
            yanchor: "bottom",
            yshift: 8 - (size.b + BOTTOM),
            align: right ? "right" : "left",
            font: {family: FONT, size: 11, color: "#52606d"}
        }]);
        return {
            data: JSON.parse(JSON.stringify(gd.data)),
            layout: layout,
            config: {topojsonURL: (gd._context || {}).topojsonURL}
        };
    }

    function download(button) {
        var gd = graphDiv(button.getAttribute("data-graph"));
        if (!gd || !gd._fullLayout || !window.Plotly || !window.Plotly.downloadImage) {
            console.warn("PNG: the graph has not been drawn yet");
            return;
        }
        var footer = button.getAttribute("data-footer") || nwsT("NW Syria displacement dashboard");
        var fig = imageFigure(gd, titleOf(button), footer);
        button.disabled = true;
        window.Plotly.downloadImage(fig, {
            format: "png",
            width: fig.layout.width,
            height: fig.layout.height,
            scale: 2,
            filename: (button.getAttribute("data-filename") || "nw-syria.png").replace(/\.png$/, "")
        }).catch(function (err) {
            console.warn("PNG not made:", err);
        }).then(function () {
            button.disabled = false;
        });
    }

    document.addEventListener("click", function (event) {
        var target = event.target;
        var button = target && typeof target.closest === "function"
            ? target.closest("button.nws-png")
            : null;
        if (button) {
            download(button);
        }
    });
})();
