"""The X cursor: newest since_id plus backfill gaps, saved as JSON in the checkpoint."""

from __future__ import annotations

from collectors.x_cursor import MAX_GAPS, Gap, XCursor


def test_a_deep_first_page_leaves_a_gap_down_to_the_old_since_id():
    cursor = XCursor("100")
    cursor.after_head(newest="500", oldest="401", more=True)
    assert cursor.to_json() == {"since_id": "500", "gaps": [{"since_id": "100", "until_id": "401"}]}
    gap = cursor.gaps[0]
    assert cursor.after_gap_page(gap, oldest="301", more=True) and gap.until_id == "301"
    assert cursor.after_gap_page(gap, oldest="150", more=False)
    assert cursor.to_json() == {"since_id": "500"}


def test_a_page_that_does_not_move_down_gives_the_gap_up():
    cursor = XCursor("900", [Gap("100", "400")])
    assert not cursor.after_gap_page(cursor.gaps[0], oldest="400", more=True)
    assert cursor.gaps == []


def test_an_empty_head_page_keeps_the_since_id():
    cursor = XCursor("700", [Gap(None, "300")])
    cursor.after_head(newest=None, oldest=None, more=False)
    assert cursor.to_json() == {"since_id": "700", "gaps": [{"since_id": None, "until_id": "300"}]}


def test_too_many_gaps_merge_the_oldest_so_nothing_is_skipped():
    cursor = XCursor("0")
    for n in range(MAX_GAPS + 3):
        base = 1000 * (n + 1)
        cursor.after_head(newest=str(base + 100), oldest=str(base + 1), more=True)
    assert len(cursor.gaps) == MAX_GAPS
    covered = [(int(g.since_id or 0), int(g.until_id)) for g in cursor.gaps]
    # Newest first, and every id missing before is still inside some gap.
    assert covered == sorted(covered, reverse=True)
    for n in range(MAX_GAPS + 3):
        missing = 1000 * (n + 1) - 500 if n else 500
        assert any(lo < missing < hi for lo, hi in covered), missing


def test_a_saved_cursor_round_trips_and_bad_entries_are_dropped():
    data = {"since_id": "42", "gaps": [{"since_id": "1", "until_id": "30"}, {"until_id": "x"}, "junk"]}
    assert XCursor.from_json(data).to_json() == {"since_id": "42", "gaps": [{"since_id": "1", "until_id": "30"}]}
    assert XCursor.from_json(None).to_json() == {"since_id": None}
