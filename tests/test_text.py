from dockerls.text import LineIndex, Position, map_offset


def test_offsets_and_positions_round_trip():
    text = "FROM a\r\nRUN b\n\nCMD c"
    idx = LineIndex(text)
    assert idx.line_count == 4
    assert idx.line_text(0) == "FROM a"  # \r belongs to the line ending
    assert idx.position(text.index("RUN")) == Position(1, 0)
    assert idx.offset(Position(3, 2)) == text.index("CMD") + 2
    assert idx.offset(Position(0, 99)) == 6  # clamped to the line's content
    assert idx.offset(Position(99, 0)) == len(text)


def test_utf16_columns_for_emoji_and_cjk():
    text = 'LABEL x="😀 é 漢"\n'
    idx = LineIndex(text)
    han = text.index("漢")
    pos = idx.position(han)
    assert pos == Position(0, 13)
    assert idx.to_client(pos, "utf-16") == Position(0, 14)  # the emoji is two UTF-16 units
    assert idx.to_client(pos, "utf-8") == Position(0, 17)  # 4 bytes emoji, 2 bytes é
    assert idx.from_client(Position(0, 14), "utf-16") == pos
    assert idx.from_client(Position(0, 17), "utf-8") == pos
    assert idx.from_client(Position(0, 500), "utf-16") == Position(0, len(text) - 1)
    assert idx.from_client(Position(7, 0), "utf-16") == Position(1, 0)


def test_map_offset_through_segments():
    segments = [(0, 10, 5), (5, 20, 3)]
    assert map_offset(segments, 0, -1) == 10
    assert map_offset(segments, 4, -1) == 14
    assert map_offset(segments, 5, -1) == 20
    assert map_offset(segments, 7, -1) == 22
    assert map_offset([], 3, -1) == -1
