/* The printed overview says where and when it was printed (components/print_header.py):
 * the page's URL (the whole view state is in it) and the date, kept current while the page
 * is open (Dash changes the URL without a reload) and set again just before printing. */
(function () {
    "use strict";
    function fill() {
        var url = document.querySelectorAll(".nws-print-url");
        var when = document.querySelectorAll(".nws-print-date");
        if (!url.length) { return; }
        var now = new Date();
        var day = now.toISOString().slice(0, 10) + " " + now.toTimeString().slice(0, 5);
        url.forEach(function (el) { if (el.textContent !== location.href) { el.textContent = location.href; } });
        when.forEach(function (el) { if (el.textContent !== day) { el.textContent = day; } });
    }
    window.addEventListener("beforeprint", fill);
    window.setInterval(fill, 1000);
})();
