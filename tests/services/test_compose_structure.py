"""Folding and selection ranges of Compose files (dockerls.services.compose_structure)."""

from __future__ import annotations

from dockerls import kinds
from dockerls.services.results import Fold

TEXT = """\
# a project
# with comments
x-base: &base
  restart: always
  environment:
    A: "1"

services:
  web:
    <<: *base
    image: nginx:1.25
    ports:
      - "80:80"
      - target: 443
        published: 443
    # the db
  db:
    image: postgres
    command: |
      one
      two
"""


def analyse(text: str = TEXT):
    return kinds.named("compose").analyse(text, None)


def test_blocks_list_items_and_comment_runs_fold():
    assert analyse().folding() == [
        Fold(0, 1, "comment"), Fold(2, 5), Fold(4, 5), Fold(7, 20), Fold(8, 14), Fold(11, 14), Fold(13, 14),
        Fold(16, 20), Fold(18, 20)]


def test_a_trailing_comment_belongs_to_the_next_key():
    folds = analyse().folding()
    assert Fold(8, 14) in folds and Fold(8, 15) not in folds  # "# the db" is not web's


def test_selection_grows_from_the_scalar_to_the_document():
    offset = TEXT.index("443\n")
    spans = [TEXT[s:e] for s, e in analyse().selection_ranges(offset)]
    assert spans[:3] == ["443", "target: 443", "target: 443\n        published: 443"]
    assert spans[4].startswith("ports:") and spans[4].endswith("published: 443")
    assert spans[-3].startswith("services:") and spans[-3].endswith("two")
    assert spans[-1] == TEXT
    for inner, outer in zip(analyse().selection_ranges(offset), analyse().selection_ranges(offset)[1:]):
        assert outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


def test_selection_on_a_key():
    offset = TEXT.index("image: postgres") + 2
    spans = [TEXT[s:e] for s, e in analyse().selection_ranges(offset)]
    assert spans[:2] == ["image", "image: postgres"]


def test_a_byte_order_mark_keeps_offsets():
    text = "\ufeff" + TEXT
    offset = text.index("443\n")
    start, end = analyse(text).selection_ranges(offset)[0]
    assert text[start:end] == "443"


def test_text_that_does_not_parse_answers_the_whole_document_and_comment_folds():
    text = "services:\n  web: [\n# a\n# b\n"
    assert analyse(text).selection_ranges(3) == [(0, len(text))]
    assert analyse(text).folding() == [Fold(2, 3, "comment")]
