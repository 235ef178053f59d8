"""The bokmål bosim shows keeps to docs/glossary.md.

Every bokmål text of the language tables and the metric table must avoid the glossary's
avoided words, and where an English text uses a glossary term, its bokmål text must use
the glossary's bokmål term: "temporary housing" is always "midlertidig botilbud".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bosim.analysis import warnings
from bosim.analysis.metric_table import METRICS
from bosim.outputs import spreadsheet
from bosim.presentation import (
    comparison_report,
    html,
    language,
    psa_report,
    run_report,
    sweep_report,
    terminal,
)

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

Pair = tuple[str, str, str]
"""(where, English text, bokmål text)."""
PLACEHOLDER = re.compile(r"\{\w*\}")
FILE_NAME = re.compile(r"[\w.-]+\.(csv|parquet|json|html|xlsx|png|toml)\b")


def glossary_table(heading: str) -> list[list[str]]:
    """The rows of the table under a ``## heading`` of the glossary, cells stripped."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def alternatives(cell: str) -> list[str]:
    """The forms a cell allows (``a / b``), without markup."""
    return [form.strip().strip("*`") for form in cell.split("/") if form.strip()]


def by_language(table: object, where: str) -> Iterator[Pair]:
    """The texts of a ``{"en": ..., "nb": ...}`` table, English and bokmål side by side."""
    assert isinstance(table, dict), where
    english, bokmal = table["en"], table["nb"]
    if isinstance(english, dict):
        for key, text in english.items():
            yield from by_language({"en": text, "nb": bokmal.get(key, "")}, f"{where}.{key}")
    elif isinstance(english, tuple | list):
        for position, (text, other) in enumerate(zip(english, bokmal, strict=True)):
            yield from by_language({"en": text, "nb": other}, f"{where}[{position}]")
    elif isinstance(english, str):
        yield where, english, str(bokmal)


def shown_texts() -> list[Pair]:
    """Every text bosim shows a reader, in English and bokmål."""
    pairs: list[Pair] = [(f"language.NB[{key!r}]", key, value)
                         for key, value in language.NB.items()]
    tables = {
        "language.SETTING_WORDS": language.SETTING_WORDS,
        "run_report.WORDS": run_report.WORDS,
        "run_report.LIMITS": run_report.LIMITS,
        "run_report.HEADLINES": {lang: dict(texts)
                                 for lang, texts in run_report.HEADLINES.items()},
        "comparison_report.WORDS": comparison_report.WORDS,
        "sweep_report.WORDS": sweep_report.WORDS,
        "psa_report.TEXT": psa_report.TEXT,
        "psa_report.HEADERS": psa_report.HEADERS,
        "terminal.MESSAGES": terminal.MESSAGES,
        "html.INTERVAL": html.INTERVAL,
        "spreadsheet.HEADERS": spreadsheet.HEADERS,
        "warnings.TEXTS": warnings.TEXTS,
    }
    for where, table in tables.items():
        pairs.extend(by_language(table, where))
    pairs += [(f"language.HOURS_WORDS[{key!r}]", key, value)
              for key, value in language.HOURS_WORDS["nb"].items()]
    for found in METRICS:
        pairs.append((f"metric {found.name} label", found.label, found.label_nb))
        pairs.append((f"metric {found.name} unit", found.unit, found.unit_nb))
    return pairs


def uses(text: str, term: str) -> bool:
    """Whether ``text`` has ``term`` as a word or the start of one (any case)."""
    return re.search(rf"(?<![\w-]){re.escape(term)}", text, re.IGNORECASE) is not None


def english_uses(text: str, term: str) -> bool:
    """Whether an English ``text`` has ``term`` as a whole word (plural ``-s`` allowed)."""
    return re.search(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", text,
                     re.IGNORECASE) is not None


def words_of(text: str) -> str:
    """A text without what is not words: ``{placeholders}`` and file names."""
    return FILE_NAME.sub("", PLACEHOLDER.sub("", text))


def avoided_words_used(pairs: list[Pair], avoided: list[str]) -> list[str]:
    """Bokmål texts that use an avoided word (whole words, any case)."""
    return [f"{where}: {bokmal!r} uses {word!r}"
            for where, _, bokmal in pairs for word in avoided
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", words_of(bokmal),
                         re.IGNORECASE)]


def terms_not_used(pairs: list[Pair], terms: list[list[str]]) -> list[str]:
    """Pairs whose English uses a glossary term and whose bokmål does not use its term."""
    missing = []
    for english_cell, bokmal_cell, *_ in terms:
        english_forms, bokmal_forms = alternatives(english_cell), alternatives(bokmal_cell)
        for where, english, bokmal in pairs:
            if english == bokmal or not bokmal:
                continue  # the same word in both languages (Housing First, EVPPI)
            if (any(english_uses(words_of(english), form) for form in english_forms)
                    and not any(uses(words_of(bokmal), form) for form in bokmal_forms)):
                missing.append(f"{where}: {english!r} -> {bokmal!r} lacks {bokmal_forms[0]!r}")
    return missing


@pytest.fixture(scope="module")
def pairs() -> list[Pair]:
    return shown_texts()


def test_the_glossary_has_terms_and_avoided_words() -> None:
    terms, avoided = glossary_table("Terms"), glossary_table("Words bosim avoids in bokmål")
    assert len(terms) >= 40 and all(len(row) == 4 and all(row) for row in terms)
    assert {"frø", "hjemløs"} <= {row[0] for row in avoided}
    assert ["temporary housing", "midlertidig botilbud"] in [row[:2] for row in terms]


def test_no_bokmal_text_uses_an_avoided_word(pairs: list[Pair]) -> None:
    avoided = [word for row in glossary_table("Words bosim avoids in bokmål")
               for word in alternatives(row[0])]
    used = avoided_words_used(pairs, avoided)
    assert not used, "\n".join(used)


def test_bokmal_texts_use_the_glossary_terms(pairs: list[Pair]) -> None:
    missing = terms_not_used(pairs, glossary_table("Terms"))
    assert not missing, "\n".join(missing)


def test_the_checks_can_fail() -> None:
    """A label about temporary housing without the glossary's term, and "frø", are found."""
    terms = glossary_table("Terms")
    wrong = [("made up", "Households in temporary housing", "Husstander i midlertidige boliger")]
    assert terms_not_used(wrong, terms)
    assert terms_not_used([("made up", "Housing retention", "Boforhold")], terms)
    assert not terms_not_used([("made up", "Housing retention", "Bostabilitet")], terms)
    assert avoided_words_used([("made up", "seed", "frø 2025")], ["frø"])
    assert not avoided_words_used([("made up", "seed", "startverdi 2025")], ["frø"])
