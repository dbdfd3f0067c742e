"""Charts are accessible SVG with their numbers written out, and never trust their labels."""

from __future__ import annotations

from decimal import Decimal

from teamwerk.team import charts


def test_share_chart_is_a_named_group_of_links_with_the_numbers_in_text():
    svg = charts.share_chart(
        "c1",
        "Taken met trekker",
        "Van de 20 taken",
        [charts.ShareBar("Met trekker", 12, 20, "/lijst/")],
        of="van",
    )
    # Its bars are links, so it is a group (an image's parts cannot be reached), and each link
    # is named by the text it shows (no aria-label that says something else).
    assert svg.startswith("<svg") and 'role="group"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert "aria-label=" not in svg
    assert '<title id="c1-title">Taken met trekker</title>' in svg
    assert "12 van 20 (60%)" in svg
    assert '<a href="/lijst/"' in svg


def test_load_chart_marks_people_over_their_hours_in_words_not_only_colour():
    svg = charts.load_chart(
        "c2",
        "Uren",
        "per persoon",
        [charts.LoadBar("An", Decimal("50"), Decimal("40")), charts.LoadBar("Bo", 10, 40)],
        unit="u",
        over_word="te veel",
    )
    assert "50 / 40 u · te veel +10" in svg
    assert "10 / 40 u" in svg and "10 / 40 u · te veel" not in svg


def test_labels_are_escaped():
    svg = charts.value_chart("c3", "<b>", "d", [charts.ValueBar("<script>x</script>", 3)])
    assert 'role="img"' in svg  # no links: one image
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_empty_wholes_do_not_divide_by_zero():
    svg = charts.share_chart("c4", "t", "d", [charts.ShareBar("Niets", 0, 0)], of="van")
    assert "0 van 0 (0%)" in svg
