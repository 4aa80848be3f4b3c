"""Hypothesis strategies shared by the fuzz tests: what a hurried hand or an attacker types.

Kept small and explicit so a failing example reads like a real cell: Arabic and Latin
letters, Arabic-Indic digits, the separators people use, formula openers, control bytes.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per property: modest, so the whole fuzz suite stays well under a minute on a
#: 2-core machine; ``NWS_FUZZ_DEEP=1`` for a longer hunt by hand. Applied per test (not as a
#: global profile) so the other suites' hypothesis tests keep their own settings.
EXAMPLES = 1500 if os.environ.get("NWS_FUZZ_DEEP") == "1" else 40
#: No per-example deadline: a cold pandas, rapidfuzz or Dash call may take 200 ms, not a bug.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    print_blob=True,
)

#: Characters that matter to the normalisers, plus anything else Unicode offers.
_INTERESTING = (
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳,.;:/-+ \t\n\r'\"%٬٫−=@|#()[]"
    "kKmMbnillion ألفمليون ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآ ً ْ ـ"
    "JanFebMarchApril شباط آذار nan inf n/a SY07 SY0703 SY070301"
)
MESSY_TEXT = st.one_of(
    st.text(alphabet=_INTERESTING, max_size=40),
    st.text(max_size=40),
    st.builds(
        lambda a, b: f"{a} {b}",
        st.sampled_from(["Idleb", "Idlib", "إدلب", "Ariha", "Dana", "Saraqeb", "Atlantis", ""]),
        st.sampled_from(["", "district", "sub-district", "governorate", "(SY0705)"]),
    ),
)
PCODE_LIKE = st.from_regex(r"\A(SY|sy|SY0|XX)\d{0,7}\Z")

#: JSON values of every type a crafted request may put where a string or list belongs.
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    MESSY_TEXT,
    PCODE_LIKE,
    st.sampled_from(
        [
            "SY999999",
            "2020-02-30",
            "1820-01-01",
            "2100-12-31",
            "9999-99-99",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "../../etc/passwd",
            "x" * 100_000,
        ]
    ),
)
JSON_VALUE: st.SearchStrategy[Any] = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
