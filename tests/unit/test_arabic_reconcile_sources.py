"""The reconciliation and sources pages in Arabic (issue 14): reasons, statuses, flags, labels
and publishers' names in Arabic, the same numbers as in English, English unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from app import i18n
from app.figures.reconcile import reconcile_figure
from app.queries import checks
from app.queries import reconcile as rc
from app.queries.publishers_ar import arabic_name, publisher_shown
from app.queries.sources import dataset_rows, figure_source_rows
from app.vocab import metric_label
from tests.unit.test_reconcile import ARTICLE, PRIORITY, _row

FSI, PDI = "\u2068", "\u2069"


def _plain(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "")


def test_reasons_in_arabic_name_the_same_figures_and_places(bundle) -> None:
    figs = bundle.figures
    article = _row(figs, value=1800.0, publisher=ARTICLE + " (outlet not recorded)")
    ohchr = _row(figs, value=299.0)
    english = rc.compare(article, ohchr, bundle.regions, bundle.areas, others=figs)
    with i18n.use("ar"):
        arabic = rc.compare(article, ohchr, bundle.regions, bundle.areas, others=figs)
        status = rc.pair_status(article, ohchr, bundle.regions)
    assert [r.code for r in arabic] == [r.code for r in english]
    assert status == "different"
    text = {r.code: _plain(r.text) for r in arabic}
    # region names translated, figures' numbers and dates unchanged in Western digits
    assert text["area"] == (
        "منطقة جغرافية مختلفة: جيب إدلب (منطقة خفض التصعيد) تقع ضمن محافظتا إدلب وحلب"
    )
    assert text["qualifier"] == (
        "وصف مختلف: News article of 16 Feb 2020 أكثر من 1,800 حدّ أدنى، وOHCHR 299 عدد دقيق"
    )
    assert text["period_unstated"] == (
        "الفترة غير مذكورة: News article of 16 Feb 2020 أكثر من 1,800 لا يذكر منذ متى يعدّ"
        "؛ وTRT World أكثر من 1,800 (13 شباط 2020) يعطي الرقم نفسه معدوداً بدءاً من "
        "17 أيلول 2018؛ وOHCHR 299 يعدّ بدءاً من 1 كانون الثاني 2020"
    )
    # the publishers' names are isolated from the Arabic around them
    assert f"{FSI}OHCHR{PDI} {FSI}299{PDI}" in next(r.text for r in arabic if r.code == "qualifier")


def test_place_names_come_from_the_gazetteer_in_arabic(bundle) -> None:
    place = rc.place_by_key("SY07", bundle.regions, bundle.areas)
    assert place.shown == place.name  # English unchanged
    with i18n.use("ar"):
        assert place.shown == f"إدلب ({FSI}SY07{PDI})"
        assert rc.place_by_key("nw_syria", bundle.regions, bundle.areas).shown == (
            "شمال غرب سوريا (أوتشا)"
        )


def test_reconciliation_in_arabic_has_the_same_figures_statuses_and_pairs(bundle) -> None:
    args = (bundle.figures, bundle.regions, "displaced", "nw_syria")
    kw = {"as_of": pd.Timestamp("2020-02-16"), "areas": bundle.areas, "priority": PRIORITY}
    english = rc.reconciliation(*args, **kw)
    with i18n.use("ar"):
        arabic = rc.reconciliation(*args, **kw)
        fig = reconcile_figure(arabic, PRIORITY)
        statuses = [rc.status_word(s) for s in arabic.pairs["status"]]
    cols = ["figure_id", "value", "low", "high", "status", "lane"]
    pd.testing.assert_frame_equal(arabic.figures[cols], english.figures[cols])
    assert list(arabic.pairs["reason_codes"]) == list(english.pairs["reason_codes"])
    assert "تناقض" in statuses and "مقاييس مختلفة" in statuses
    # every reason of a pair says "<status> with <figure>: ..." in Arabic
    line = next(r for rs in arabic.figures["reasons"] for r in rs)
    assert line.split(" مع ")[0] in {"تناقض", "متّسق", "مقاييس مختلفة"}
    # the chart: same values, lane titles with the publisher's own Arabic name, Arabic hovers,
    # time left to right
    en_fig = reconcile_figure(english, PRIORITY)
    assert [t.y for t in fig.data] == [t.y for t in en_fig.data]
    titles = [a.text for a in fig.layout.annotations]
    assert f"{FSI}OCHA{PDI} · مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية" in titles
    hover = next(t for t in fig.data if t.hovertext).hovertext[0]
    assert "الفترة: " in hover and "الحالة: " in hover and "متى عُرف: " in hover
    assert fig.layout.xaxis.autorange != "reversed"


def test_flags_in_arabic_and_their_cache_is_per_language(bundle) -> None:
    args = (bundle.figures, bundle.areas, bundle.regions, pd.Timestamp("2020-03-31"), PRIORITY)
    english = checks.view_checks(*args)
    with i18n.use("ar"):
        arabic = checks.view_checks(*args)
        again = checks.view_checks(*args)
    assert checks.view_checks(*args)["message"].tolist() == english["message"].tolist()
    assert list(arabic["figure_id"]) == list(english["figure_id"])
    assert list(arabic["severity"]) == list(english["severity"])
    assert arabic["message"].tolist() == again["message"].tolist()
    nationwide = arabic[arabic["check"] == "nationwide_in_nw_view"]["message"]
    assert len(nationwide) and all(m.startswith("رقم على المستوى الوطني: ") for m in nationwide)
    en_nationwide = english[english["check"] == "nationwide_in_nw_view"]["message"]
    assert all(m.startswith("Nationwide figure: ") for m in en_nationwide)
    with i18n.use("ar"):
        assert checks.messages_by_id(arabic)[arabic["figure_id"].iloc[0]][0].startswith(
            ("⚑ تحذير: ", "⚑ ملاحظة: ")
        )


def test_qualifier_classes_are_cached_per_language() -> None:
    assert rc.qualifier_class("some / almost") == "a rounded figure or a ceiling"
    with i18n.use("ar"):
        assert rc.qualifier_class("some / almost") == "رقم مقرّب أو حدّ أعلى"
    assert rc.qualifier_class("some / almost") == "a rounded figure or a ceiling"


@pytest.mark.parametrize(
    ("publisher", "arabic"),
    [
        ("OCHA", "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية"),
        ("OCHA / IDP (Whole of Syria) Task Force", "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية"),
        ("WFP citing CCCM Cluster", "برنامج الأغذية العالمي"),
        ("OHCHR (via UNRIC)", "مفوضية الأمم المتحدة السامية لحقوق الإنسان"),
        ("SNHR (reported by Middle East Monitor)", "الشبكة السورية لحقوق الإنسان"),
        ("SOHR / White Helmets (via Anadolu, Hurriyet Daily News)", "المرصد السوري لحقوق الإنسان"),
        ("HRW citing OHCHR", None),
        ("USAID citing OCHA", None),
        ("REACH", None),
        ("TRT World", None),
    ],
)
def test_publishers_keep_their_name_and_get_their_own_arabic_one(publisher, arabic) -> None:
    assert arabic_name(publisher) == arabic
    assert publisher_shown(publisher) == publisher
    with i18n.use("ar"):
        shown = publisher_shown(publisher)
    assert shown == (f"{FSI}{publisher}{PDI} · {arabic}" if arabic else f"{FSI}{publisher}{PDI}")


def test_sources_rows_in_arabic_keep_numbers_documents_and_names(bundle) -> None:
    english = figure_source_rows(bundle.figures)
    with i18n.use("ar"):
        arabic = figure_source_rows(bundle.figures)
        datasets = dataset_rows(bundle.datapackage)
        label = metric_label("idps_displaced_since")
    assert [r["figure_id"] for r in arabic] == [r["figure_id"] for r in english]
    assert [r["document"] for r in arabic] == [r["document"] for r in english]
    assert [r["area"] for r in arabic] == [r["area"] for r in english]
    digits = [[c for c in r["figure"] if c.isdigit()] for r in english]
    assert [[c for c in r["figure"] if c.isdigit()] for r in arabic] == digits
    assert label == "النازحون داخلياً منذ تاريخ البداية"
    assert metric_label("idps_displaced_since") == "IDPs displaced since start date"
    figures = next(d for d in datasets if d["name"] == "figures")
    assert figures["licence"] == "أرقام منقولة من تقارير علنية مع الإسناد؛ كل صف يربط بمصدره"
    assert _plain(figures["coverage"]).endswith("من 2018-09-17 إلى 2020-06-30")
    areas = next(d for d in datasets if d["name"] == "areas")
    assert "Creative Commons Attribution 4.0" in areas["licence"]  # a licence's own title


def _graph(node: object, graph_id: str) -> object:
    """The component with ``graph_id`` in a Dash layout (a depth-first walk)."""
    if getattr(node, "id", None) == graph_id:
        return node
    children = node if isinstance(node, list | tuple) else getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            found = _graph(child, graph_id)
            if found is not None:
                return found
    return None


def test_the_reconcile_timeline_carries_the_interfaces_plotly_locale(bundle) -> None:  # type: ignore[no-untyped-def]
    """The reconcile page's time axis reads Arabic month names in Arabic (its graph had no
    plotly.js locale: "Oct 27", "Nov 10" under an Arabic page)."""
    from components import reconcile_view as rv
    from components.context import make_context

    ctx = make_context(bundle)
    query = {"metric": "killed", "place": "SY0200"}
    english = _graph(rv.view(ctx, query), rv.GRAPH)
    with i18n.use("ar"):
        arabic = _graph(rv.view(ctx, query), rv.GRAPH)
    assert english is not None and arabic is not None
    assert "locale" not in english.config and english.config["displaylogo"] is False
    assert arabic.config["locale"] == "ar"
    assert arabic.config["locales"]["ar"]["format"]["months"][1] == "شباط"
    assert arabic.config["showSendToCloud"] is False
