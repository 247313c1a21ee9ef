"""Fixed data splits of the silver annotations (see ``docs/data-splits.md``).

>>> split_of("s006"), split_of("s012"), split_of("s001")
('dev-tune', 'dev-heldout', 'train')
"""

from __future__ import annotations

from typing import Literal

Split = Literal["train", "dev-tune", "dev-heldout"]


def split_of(silver_id: str) -> Split:
    """Return the split of a silver paper id such as ``"s042"``.

    Dev papers are those whose number is a multiple of 6; of those, multiples of 12
    are our own held-out check (never trained, tuned or analysed on).
    """
    number = int(silver_id.lstrip("s"))
    if number % 12 == 0:
        return "dev-heldout"
    if number % 6 == 0:
        return "dev-tune"
    return "train"
