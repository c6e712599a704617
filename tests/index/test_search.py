"""Searching the fixture store: each feature of the query language, the
filters, highlights, facets, and the bounds on what a query may cost."""

# Curly apostrophes are typed as such on purpose: they are what is tested.
# ruff: noqa: RUF001

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import index.search
from data.dates import PartialDate
from data.repository import Repository
from index.search import Hit, QuerySyntaxError, QueryTooExpensive, SearchIndex, SearchPage


def keys(page: SearchPage, kind: str | None = None) -> list[str]:
    return [h.key[1] for h in page.hits if kind is None or h.kind == kind]


def passages(index: SearchIndex, query: str, **filters: object) -> list[str]:
    page = index.search(query, types=frozenset({"passage"}), limit=50, **filters)  # type: ignore[arg-type]
    return keys(page)


# -- words, operators, phrases ------------------------------------------------


def test_all_words_are_required_first(small_index: SearchIndex) -> None:
    page = small_index.search("child soldiers")
    assert page.mode == "ALL"
    assert set(keys(page)) == {"mali-p10", "testland-p02"}


def test_any_word_when_no_document_has_them_all(small_index: SearchIndex) -> None:
    page = small_index.search("soldiers Ouagadougou", limit=50)
    assert page.mode == "ANY"
    assert {"mali-p23", "mali-p10", "mali-p25", "testland-p02"} <= set(keys(page))


def test_an_explicit_and_does_not_fall_back(small_index: SearchIndex) -> None:
    page = small_index.search("soldiers AND Ouagadougou")
    assert (page.total, page.mode) == (0, "ALL")


def test_phrases_need_the_words_in_order(small_index: SearchIndex) -> None:
    assert passages(small_index, '"peace enforcement"') == ["mali-p14"]
    assert passages(small_index, '"enforcement peace"') == []
    # Stop words inside a phrase are skipped, as they are in the index.
    assert passages(small_index, '"protection of civilians"') == ["mali-p14"]


def test_exclusion(small_index: SearchIndex) -> None:
    assert passages(small_index, "child soldiers -Lakeside") == ["mali-p10"]
    assert passages(small_index, 'child soldiers NOT "Northern Front"') == ["mali-p10"]


def test_or(small_index: SearchIndex) -> None:
    found = passages(small_index, "Ouagadougou OR Lakeside")
    assert set(found) == {"mali-p23", "testland-p01", "testland-p02"}


def test_prefix_expands_over_unstemmed_words(small_index: SearchIndex) -> None:
    assert passages(small_index, "Ouagad*") == ["mali-p23"]
    # displac* finds both "displacing" and "displaced", whatever their stems.
    assert set(passages(small_index, "displac*")) == {"testland-p01", "mali-p10", "mali-p12"}


def test_section_and_type_terms(small_index: SearchIndex) -> None:
    assert passages(small_index, "Keita section:election-2013") == ["mali-p23"]
    assert passages(small_index, 'section:"french intervention"') == ["mali-p17"]
    page = small_index.search("Keita type:actor")
    assert [(h.kind, h.key[1]) for h in page.hits] == [("actor", "ibrahim-boubacar-keita")]
    assert {h.kind for h in small_index.search("type:places", limit=50).hits} == {"place"}


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("section:nowhere", "no section 'nowhere': use one of aftermath, atrocities"),
        ("type:crisis", "not a type of result: use one of passage, actor"),
        ("the", "no words to search for"),
        ("-", "no words to search for"),
        ('"unclosed', "never closed"),
        ("AND", "on each side"),
        ("*", "would match everything"),
        ("x" * 2000, "the limit is 500"),
    ],
)
def test_bad_queries_raise_query_syntax_error(
    small_index: SearchIndex, query: str, says: str
) -> None:
    with pytest.raises(QuerySyntaxError, match=says):
        small_index.search(query)


# -- analysis seen through search ----------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Verite", "mali-p28"),
        ("VÉRITÉ", "mali-p28"),
        ("N'Djamena", "mali-p17"),
        ("N’Djamena", "mali-p17"),
        ("Chad's capital", "mali-p17"),
        ("governor's office", "mali-p25"),
        ("displacing", "mali-p10"),
    ],
)
def test_accents_apostrophes_and_stems(small_index: SearchIndex, query: str, expected: str) -> None:
    assert expected in passages(small_index, query)


# -- aliases --------------------------------------------------------------------


def test_an_alias_finds_passages_that_use_other_names(small_index: SearchIndex) -> None:
    # Only mali-p25 says "IBK"; p23 and p24 say "Ibrahim Boubacar Keita" and "Keita".
    assert set(passages(small_index, "IBK")) == {"mali-p23", "mali-p24", "mali-p25"}
    assert passages(small_index, "Tombouctou") == ["mali-p12"]
    assert "mali-p28" in passages(small_index, "Commission Verite Justice Reconciliation")


def test_the_entity_an_alias_names_ranks_first(small_index: SearchIndex) -> None:
    page = small_index.search("IBK")
    assert (page.hits[0].kind, page.hits[0].key) == ("actor", ("mali", "ibrahim-boubacar-keita"))
    actors = small_index.search("CVJR", types=frozenset({"actor"}))
    assert keys(actors)[0] == "cvjr"
    places = small_index.search("Tombouctou", types=frozenset({"place"}))
    assert keys(places) == ["timbuktu"]


# -- typos ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "suggestion", "expected"),
    [
        ("Ouagadugu", "Ouagadougou", "mali-p23"),
        ("Timbuctoo", "Timbuktu", "mali-p12"),
        ("Keita Ouagadugu", "Keita Ouagadougou", "mali-p23"),
        ("OUAGADUGU", "OUAGADOUGOU", "mali-p23"),
    ],
)
def test_a_misspelt_query_is_corrected_when_it_finds_nothing(
    small_index: SearchIndex, query: str, suggestion: str, expected: str
) -> None:
    page = small_index.search(query, limit=50)
    assert (page.suggestion, page.corrected) == (suggestion, True)
    assert expected in keys(page)


def test_a_suggestion_is_offered_without_correcting_a_query_that_finds_something(
    small_index: SearchIndex,
) -> None:
    page = small_index.search("Timbuktu OR Ouagadugu")
    assert (page.suggestion, page.corrected) == ("Timbuktu OR Ouagadougou", False)
    assert "mali-p12" in keys(page)


def test_known_words_get_no_suggestion(small_index: SearchIndex) -> None:
    page = small_index.search("displacing refugees")
    assert page.suggestion is None


# -- filters -------------------------------------------------------------------------


def test_type_and_crisis_filters(small_index: SearchIndex) -> None:
    page = small_index.search("Lakeside", types=frozenset({"event", "place"}))
    assert {h.kind for h in page.hits} == {"event", "place"}
    assert passages(small_index, "child soldiers", crisis="testland") == ["testland-p02"]


def test_dates_filter_by_overlap_with_the_records_a_hit_is_tied_to(
    small_index: SearchIndex,
) -> None:
    may_2016 = {"date_from": PartialDate(2016, 5), "date_to": PartialDate(2016, 5)}
    # p01 is cited by the attack of 3 May 2016; p02 only by a page dated June 2016.
    assert passages(small_index, "Lakeside", **may_2016) == ["testland-p01"]
    # A month-precision event (June-July 2012) overlaps a range starting mid-July.
    late_2012 = {"date_from": PartialDate(2012, 7, 15), "date_to": PartialDate(2012, 12, 31)}
    page = small_index.search("Timbuktu", **late_2012)  # type: ignore[arg-type]
    assert {("event", "heritage-destroyed"), ("passage", "mali-p12")} <= {
        (h.kind, h.key[1]) for h in page.hits
    }
    # Open-ended ranges; undated records (this actor takes part in no event) drop out.
    assert keys(small_index.search("Human Rights Watch", date_from=PartialDate(2000))) == [
        "mali-p10"
    ]
    assert passages(small_index, "Lakeside", date_to=PartialDate(2015)) == []


# -- results ----------------------------------------------------------------------------


def test_highlights_are_html_escaped_with_marks(small_index: SearchIndex) -> None:
    (hit,) = small_index.search("market").hits
    ((field, fragment),) = hit.highlights
    assert field == "body"
    assert "2016 &amp; burned the &lt;<mark>market</mark>&gt; stalls" in fragment
    assert "<market>" not in fragment


def test_highlights_mark_phrases_only_where_whole(small_index: SearchIndex) -> None:
    page = small_index.search('"peace enforcement"', types=frozenset({"passage"}))
    marked = " ".join(fragment for _, fragment in page.hits[0].highlights)
    assert "a rare “<mark>peace</mark> <mark>enforcement</mark>” role" in marked
    assert "<mark>Peace</mark>" not in marked  # the Peace of "Peace and Security Council"


def test_each_matching_field_is_highlighted(small_index: SearchIndex) -> None:
    hit = small_index.search("IBK").hits[0]
    fields = dict(hit.highlights)
    assert fields["title"] == "<mark>Ibrahim</mark> <mark>Boubacar</mark> <mark>Keita</mark>"
    assert fields["aliases"].startswith("<mark>IBK</mark>; <mark>Keita</mark>")


def test_facets_count_every_hit_not_just_the_page(small_index: SearchIndex) -> None:
    page = small_index.search("Keita", limit=1)
    assert len(page.hits) == 1 and page.total > 1
    assert sum(count for _, count in page.facets["type"]) == page.total
    assert dict(page.facets["actor"])["mali/ibrahim-boubacar-keita"] == page.total
    # p25 is tied to May 2014 only; the rest to 2013.
    assert page.facets["year"] == (("2013", 4), ("2014", 1))
    counts = [count for _, count in page.facets["section"]]
    assert counts == sorted(counts, reverse=True)


def test_pages_slice_one_ranking(small_index: SearchIndex) -> None:
    everything = small_index.search("Mali", limit=100)
    pages = [small_index.search("Mali", offset=i, limit=3) for i in range(0, everything.total, 3)]
    assert [h for p in pages for h in p.hits] == list(everything.hits)
    assert {p.total for p in pages} == {everything.total}
    scores = [h.score for h in everything.hits]
    assert scores == sorted(scores, reverse=True)


def test_hits_name_records_the_repository_holds(
    small_index: SearchIndex, small_repo: Repository
) -> None:
    for hit in small_index.search("Mali", limit=100).hits:
        assert isinstance(hit, Hit)
        assert small_repo.get(hit.kind, hit.key) is not None


# -- bounds ---------------------------------------------------------------------------------


def test_a_query_out_of_time_says_so(
    small_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index.search, "SEARCH_SECONDS", 0.0)
    with pytest.raises(QueryTooExpensive, match="more than 0 s"):
        small_index.search("Mali")


def test_programming_errors_are_not_query_errors(small_index: SearchIndex) -> None:
    with pytest.raises(ValueError, match="limit"):
        small_index.search("Mali", limit=100_000)
    with pytest.raises(ValueError, match="facet_limit"):
        small_index.search("Mali", facet_limit=-1)
    with pytest.raises(ValueError, match="unknown types"):
        small_index.search("Mali", types=frozenset({"crisis"}))


_QUERY_CHARS = 'ab Mali*"()-:éOR AND NOT section type'


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab Mali*"()-:éOR AND NOT section type')), max_size=60)
)
def test_any_query_either_answers_or_says_what_is_wrong(
    small_index: SearchIndex, query: str
) -> None:
    try:
        small_index.search(query)
    except QuerySyntaxError as error:
        assert str(error)


def test_threads_each_get_their_own_searcher(small_index: SearchIndex) -> None:
    queries = ["IBK", "child soldiers", "Ouagadugu", '"peace enforcement"', "displac*", "Mali"]
    expected = {q: small_index.search(q, limit=20) for q in queries}
    failures: list[str] = []

    def work() -> None:
        for _ in range(5):
            for q in queries:
                if small_index.search(q, limit=20) != expected[q]:
                    failures.append(q)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
