"""The map and the time series in the Arabic interface (issue 14): the same numbers as in
English, Arabic words and the gazetteer's Arabic place names, right-to-left placement, time
still left to right; the English output unchanged."""

from __future__ import annotations

import pandas as pd
import pytest
from babel.dates import get_month_names

from app import i18n
from app.figures.chart_hover import hover as _hover
from app.figures.map import (
    MAIN_TOWNS,
    MapContext,
    choropleth_map,
    coverage_lines,
    place_labels,
    town_name_ar,
)
from app.figures.plotly_locale import arabic_locale, locale_config
from app.figures.timeseries import time_buttons, time_range, timeseries_dict
from app.queries.catalogue import VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import FigureFilter
from app.queries.map_values import map_values
from components.timeseries_view import chart_config

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
TURKEY = (("TUR031", "Hatay"), ("TUR079", "Kilis"))


def _map(bundle, lang: str, metric: str = "idp_arrivals") -> tuple[dict, object]:  # type: ignore[no-untyped-def]
    with i18n.use(lang):
        mv = map_values(
            bundle.figures, bundle.areas, VIEW_METRICS[metric], 3, FigureFilter(), PRIORITY
        )
        ctx = MapContext(
            "/geo/adm3.geojson", "/geo/tur.geojson", TURKEY, "/geo/border.geojson",
            labels=place_labels(bundle.areas, 3),
        )  # fmt: skip
        return choropleth_map(mv, ctx, height=440), mv


def _role(fig: dict, role: str) -> dict:
    return next(t for t in fig["data"] if t.get("meta", {}).get("role") == role)


def _labels(fig: dict, kind: str) -> list[str]:
    return list(_role(fig, f"labels-{kind}")["text"])


@pytest.fixture(scope="module")
def maps(bundle):  # type: ignore[no-untyped-def]
    return _map(bundle, "en"), _map(bundle, "ar")


def test_map_has_the_same_numbers_in_both_languages(maps) -> None:  # type: ignore[no-untyped-def]
    (en, mv_en), (ar, mv_ar) = maps
    for role in ("values", "no-data", "context"):
        assert _role(ar, role)["locations"] == _role(en, role)["locations"]
        assert _role(ar, role)["z"] == _role(en, role)["z"]
    assert mv_ar.values["value"].tolist() == mv_en.values["value"].tolist()
    assert len(_role(ar, "values")["locations"]) == mv_en.n_with_data > 0


def test_map_words_in_arabic(maps) -> None:  # type: ignore[no-untyped-def]
    (en, _mv_en), (ar, mv_ar) = maps
    assert _role(ar, "no-data")["name"] == "لا بيانات"
    assert _role(ar, "context")["name"] == "تركيا (تقريبية، للسياق فقط)"
    assert _role(ar, "border")["name"] == "الحدود التركية السورية"
    assert _role(ar, "values")["colorbar"]["title"]["text"] == "الأشخاص"
    # above the bar, not beside its full-number tick labels ("150,000")
    assert _role(ar, "values")["colorbar"]["title"]["side"] == "top"
    assert _role(en, "values")["colorbar"]["title"]["side"] == "right"
    assert _role(ar, "scale")["text"][-1] == "25 كم"
    assert _role(ar, "context")["hovertext"][0].startswith("هاتاي (تركيا)<br>")
    assert ar["layout"]["meta"]["coverage"][0] == "النازحون الجدد الواصلون خلال الفترة"
    assert ar["layout"]["meta"]["coverage"][1].startswith(
        f"النواحي التي لها بيانات: {mv_ar.n_with_data} من {mv_ar.n_areas} (النواحي الرمادية"
    )
    # English as it was
    assert _role(en, "no-data")["name"] == "No data"
    assert _role(en, "border")["name"] == "Turkey–Syria border"
    assert _role(en, "scale")["text"][-1] == "25 km"
    with i18n.use("ar"):
        assert coverage_lines(mv_ar) == ar["layout"]["meta"]["coverage"]
    assert en["layout"]["meta"]["coverage"][1] == (
        f"Data for {mv_ar.n_with_data} of {mv_ar.n_areas} sub-districts "
        "(sub-districts in grey: no data)"
    )


def test_map_hover_gives_the_arabic_name_first_and_the_same_value(bundle, maps) -> None:  # type: ignore[no-untyped-def]
    (en, mv_en), (ar, _mv_ar) = maps
    values_en, values_ar = _role(en, "values"), _role(ar, "values")
    pcode = values_en["locations"][0]
    name_ar = bundle.areas.set_index("pcode").loc[pcode, "name_ar"]
    hover_ar, hover_en = values_ar["hovertext"][0], values_en["hovertext"][0]
    assert hover_ar.startswith(f"<b>{name_ar}</b> · ")
    assert "<br>المصدر: " in hover_ar and "Source: " not in hover_ar
    assert hover_en.startswith(f"<b>{bundle.areas.set_index('pcode').loc[pcode, 'name_en']}</b>")
    assert "<br>Source: " in hover_en
    row = mv_en.values.set_index("pcode").loc[pcode]
    shown = f"{row['value']:,.0f}"
    assert shown in hover_en and shown in hover_ar  # Western digits, the same number
    assert _role(ar, "no-data")["hovertext"][0].endswith("<br><i>لا بيانات</i>")


def test_map_place_names_are_the_gazetteers_in_arabic(bundle, maps) -> None:  # type: ignore[no-untyped-def]
    (en, _mv_en), (ar, _mv_ar) = maps
    towns_ar, towns_en = _labels(ar, "town"), _labels(en, "town")
    assert {"إدلب", "معرة النعمان", "سراقب", "حلب", "الدانا (سرمدا)"} <= set(towns_ar)
    assert "Ma'arrat an-Nu'man" in towns_en and "إدلب" not in towns_en
    assert len(towns_ar) == len(towns_en) == len(MAIN_TOWNS)
    names_ar = set(bundle.areas["name_ar"].dropna())
    assert _labels(ar, "subdistrict") and set(_labels(ar, "subdistrict")) <= names_ar
    assert town_name_ar("SY070200", "مركز معرة النعمان") == "معرة النعمان"
    with i18n.use("ar"):
        governorates = [lb.name for lb in place_labels(bundle.areas, 1) if lb.kind == "governorate"]
    assert "إدلب" in governorates and "حلب" in governorates


def test_map_legend_and_hover_sit_right_in_arabic(maps) -> None:  # type: ignore[no-untyped-def]
    (en, _mv_en), (ar, _mv_ar) = maps
    legend = ar["layout"]["legend"]
    assert (legend["x"], legend["xanchor"], legend["traceorder"]) == (1, "right", "reversed")
    assert ar["layout"]["hoverlabel"]["align"] == "right"
    assert (en["layout"]["legend"]["x"], en["layout"]["legend"]["xanchor"]) == (0, "left")
    assert "traceorder" not in en["layout"]["legend"]
    assert "align" not in en["layout"]["hoverlabel"]
    # the frame on the ground is the same: nothing is mirrored
    assert ar["layout"]["geo"] == en["layout"]["geo"]


def test_map_km_metric_in_arabic(bundle) -> None:  # type: ignore[no-untyped-def]
    ar, _mv = _map(bundle, "ar", "border_distance_km")
    values = _role(ar, "values")
    assert values["colorbar"]["title"]["text"] == "كم إلى الحدود"
    assert values["colorbar"]["ticksuffix"] == " كم"
    assert " كم</b>" in values["hovertext"][0]


@pytest.fixture(scope="module")
def charts(bundle):  # type: ignore[no-untyped-def]
    out = {}
    for lang in ("en", "ar"):
        with i18n.use(lang):
            data = chart_data(
                bundle.figures, bundle.areas, bundle.regions, VIEW_METRICS["idp_arrivals"],
                (), FigureFilter(),
            )  # fmt: skip
            fig = timeseries_dict(data.figures, PRIORITY, height=440, metrics=("idp_arrivals",))
            out[lang] = (fig, data)
    return out


def test_chart_same_numbers_time_left_to_right(charts) -> None:  # type: ignore[no-untyped-def]
    en, _data_en = charts["en"]
    ar, _data_ar = charts["ar"]
    def series(fig: dict) -> list:  # the legend's order follows the (translated) area names
        return sorted(
            (t["meta"]["metric"], t["meta"]["publisher"], t["meta"]["kind"], str(t["x"]), str(t["y"]))
            for t in fig["data"]
        )

    assert series(ar) == series(en) and len(ar["data"]) > 3
    for key in ("xaxis", "xaxis2"):
        if key in ar["layout"]:
            axis = ar["layout"][key]
            assert axis.get("autorange") != "reversed"
            assert axis["range"] == en["layout"][key]["range"]
            assert axis["range"][0] < axis["range"][1]


def test_chart_words_and_places_in_arabic(charts) -> None:  # type: ignore[no-untyped-def]
    ar, data_ar = charts["ar"]
    en, data_en = charts["en"]
    titles = [a["text"] for a in ar["layout"]["annotations"]]
    assert "المجاميع التراكمية، في تاريخ سريانها" in titles
    assert all(a["x"] == 1 and a["xanchor"] == "right" for a in ar["layout"]["annotations"])
    assert all(a["x"] == 0 and a["xanchor"] == "left" for a in en["layout"]["annotations"])
    assert data_ar.scope == "شمال غرب سوريا ومحافظاته"
    assert data_en.scope == "north-west Syria and its governorates"
    labels = set(data_ar.figures["area_label"])
    assert "شمال غرب سوريا (أوتشا)" in labels
    assert "North-west Syria (OCHA)" in set(data_en.figures["area_label"])
    assert any(lb.startswith("إدلب (") for lb in labels)
    hovers = [h for t in ar["data"] for h in t["hovertext"] if h]
    assert all("الفترة: " in h and "الوثيقة: " in h for h in hovers)
    assert any("شباط 2020" in h for h in hovers)
    assert ar["layout"]["hoverlabel"]["align"] == "right"


def test_chart_time_buttons_in_arabic() -> None:
    figures = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2019-03-01", "2020-02-01", "2018-01-01"]),
            "period_end": pd.to_datetime(["2019-03-31", "2020-02-29", "2018-01-31"]),
        }
    )
    lo, hi = time_range(figures)
    with i18n.use("ar"):
        menu = time_buttons(figures, lo, hi, 2)[0]
    en_menu = time_buttons(figures, lo, hi, 2)[0]
    assert [b["label"] for b in menu["buttons"]] == ["شتاء 2019-2020", "2019", "الكل"]
    assert (menu["x"], menu["xanchor"], menu["direction"]) == (1, "right", "left")
    assert [b["label"] for b in en_menu["buttons"]] == ["Winter 2019-20", "2019", "All"]
    assert (en_menu["x"], en_menu["xanchor"], en_menu["direction"]) == (0, "left", "right")
    assert [b["args"] for b in menu["buttons"]] == [b["args"] for b in en_menu["buttons"]]


def test_chart_hover_keeps_escaping_file_text() -> None:
    row = {
        "metric": "idp_arrivals", "publisher": "<a href='x'>P</a>", "value": 1200.0,
        "qualifier": "about", "low": 1000.0, "high": 1400.0,
        "period_start": pd.Timestamp("2020-02-01"), "period_end": pd.Timestamp("2020-02-29"),
        "area_label": "<b>Dana</b>", "document": "Doc <script>", "published_date": pd.NaT,
        "sector": None, "flags": (),
    }  # fmt: skip
    with i18n.use("ar"):
        hover = _hover(row)
    assert "<a href" not in hover and "&lt;a href='x'&gt;P&lt;/a&gt;" in hover
    assert "المنطقة الجغرافية: &lt;b&gt;Dana&lt;/b&gt;" in hover
    assert "الوثيقة: Doc &lt;script&gt;" in hover
    assert "<script" not in hover and "<b>Dana" not in hover
    assert "1,200" in hover  # the same Western digits (docs/glossary-ar.md)


def test_plotly_locale_months_are_the_syrian_ones() -> None:
    assert locale_config() == {}
    with i18n.use("ar"):
        config = chart_config()
        loc = arabic_locale()
    assert config["locale"] == "ar" and config["locales"]["ar"] == loc
    months = loc["format"]["months"]
    assert months[1] == "شباط" and months[2] == "آذار" and len(months) == 12
    assert months == [get_month_names("wide", locale="ar_SY")[m] for m in range(1, 13)]
    assert loc["format"]["days"][0] == "الأحد"  # plotly.js counts from Sunday
    assert loc["format"]["decimal"] == "." and loc["format"]["thousands"] == ","
    assert loc["dictionary"]["Zoom in"] == "تكبير"
    assert "locale" not in chart_config()  # English: plotly.js's own default
