"""Terms of reuse: one statement of the records' licence and the source's rights."""

from __future__ import annotations

from pathlib import Path

from data.repository import Repository
from data.terms import header_text, terms_of

FIXTURE_STORE = Path(__file__).resolve().parents[1] / "fixtures" / "store"
MALI_PAGE = "http://www.responsibilitytoprotect.org/index.php/crises/crisis-in-mali"


def test_the_mali_terms_name_the_licence_the_publisher_and_the_page(repo: Repository) -> None:
    terms = terms_of(repo, "mali")
    assert terms.licence.spdx_id == "CC-BY-4.0"
    assert terms.attribution == (
        '"Crisis in Mali" records by the crisisgraph curators, CC BY 4.0 '
        '(https://creativecommons.org/licenses/by/4.0/). Source: "Crisis in Mali", '
        f"International Coalition for the Responsibility to Protect, {MALI_PAGE}."
    )
    assert terms.source_rights == (
        f'The source page, "Crisis in Mali" ({MALI_PAGE}), is quoted verbatim for research, '
        "with attribution; its rights remain with its publisher, International Coalition for "
        "the Responsibility to Protect. The CC BY 4.0 licence of the records does not cover it."
    )


def test_a_source_without_url_or_publisher_is_credited_without_inventing_them() -> None:
    terms = terms_of(Repository.load(FIXTURE_STORE), "testland")
    assert terms.attribution.endswith('Source: "Crisis in Testland".')
    assert terms.source_rights == (
        'The source page, "Crisis in Testland", is quoted verbatim for research, with '
        "attribution; its rights remain with its publisher. The CC BY 4.0 licence of the "
        "records does not cover it."
    )


def test_header_text_is_ascii_and_keeps_what_it_can() -> None:
    text = "Commission Vérité \u2013 \u201cJustice\u201d, l\u2019Azawad, 北"
    assert header_text(text) == 'Commission Verite - "Justice", l\'Azawad, ?'
    assert header_text(terms_of(Repository.load(FIXTURE_STORE), "mali").attribution).isascii()
