/* Value labels of the reconcile timeline that would print over each other are not drawn.
 *
 * The figure labels one value per lane and day (app/figures/reconcile.py), but days a few
 * pixels apart still collide: on a phone, OCHA's lane of the displacement metrics printed a
 * dozen numbers over each other ("800 ألف" through "1 مليون"), and a label near the start of
 * the axis ran over the tick labels. After every draw, the labels are taken largest value
 * first; one whose box meets a label already kept, or leaves the plot area, is hidden. The
 * hover still gives every figure, and the table below the chart lists them. Only the drawn
 * text nodes are touched (the figure is unchanged), so a redraw at a new size starts over.
 * Tested by tests/e2e/test_reconcile_labels.py.
 */
(function () {
    "use strict";
    var GRAPHS = ".nws-reconcile-chart .js-plotly-plot";
    var PAD = 1;  // px kept between two labels

    function meets(a, b) {
        return a.left < b.right + PAD && b.left < a.right + PAD &&
            a.top < b.bottom + PAD && b.top < a.bottom + PAD;
    }

    function cull(gd) {
        var area = gd.querySelector(".draglayer .nsewdrag");
        if (!area) { return; }
        var labels = [];
        gd.querySelectorAll(".scatterlayer .trace .textpoint").forEach(function (g) {
            g.style.display = "";
            var d = g.__data__;
            var text = g.querySelector("text");
            if (!text || !text.textContent) { return; }
            labels.push({ node: g, value: d && typeof d.y === "number" ? d.y : 0 });
        });
        labels.sort(function (a, b) { return b.value - a.value; });
        // every box read before any label is hidden: reading a box after hiding one would
        // lay the page out again, once per label
        var limits = area.getBoundingClientRect();  // every lane shares the time axis
        labels.forEach(function (label) { label.box = label.node.getBoundingClientRect(); });
        var kept = [];
        labels.forEach(function (label) {
            var box = label.box;
            var outside = box.left < limits.left - 2 || box.right > limits.right + 2;
            label.hide = box.width > 0 &&
                (outside || kept.some(function (k) { return meets(box, k); }));
            if (box.width > 0 && !label.hide) { kept.push(box); }
        });
        labels.forEach(function (label) {
            if (label.hide) {
                label.node.style.display = "none";
                label.node.setAttribute("data-nws-culled", "1");
            } else {
                label.node.removeAttribute("data-nws-culled");
            }
        });
    }

    function attach() {
        document.querySelectorAll(GRAPHS).forEach(function (gd) {
            if (!gd.on || gd.dataset.nwsCullHooked) { return; }
            gd.dataset.nwsCullHooked = "1";
            gd.on("plotly_afterplot", function () { cull(gd); });
            cull(gd);
        });
    }

    window.setInterval(attach, 600);
})();
