"""site_builder: a static site generator for annotated archives of US diplomatic cables.

The parser is also a library: `parse_text(text, source)` returns the record of the
`parse` command, and `canonical_id(id)` the canonical form of a reference ID.
"""

from site_builder.ids import canonical_id
from site_builder.parser import parse_text

__all__ = ["canonical_id", "parse_text"]
__version__ = "0.1.0"
