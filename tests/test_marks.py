"""What the text of a cable page marks up, piece by piece."""

from __future__ import annotations

from site_builder.render.body import inline
from site_builder.render.marks import Linker


def _linker() -> Linker:
    return Linker({}, None, lambda _: None, frozenset(), ())


def test_every_kind_of_redaction_is_shown_as_such() -> None:
    html = str(inline("met XXXXXXXXXXXX and xxxxxx, then [Name withheld] at XXX", _linker()))
    assert html.count('<span class="redacted"') == 3
    assert "XXXX" not in html and "xxxx" not in html and "Name withheld" not in html
    assert html.endswith("at XXX")  # three letters are a word, not a redaction
