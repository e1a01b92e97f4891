"""The parser's rules, in the order they run: one small rule per field.

Each rule reads a `ParseState`, records the fields it found with their line spans,
and may leave landmarks for the rules after it (the banner ends the header; the
first numbered paragraph ends the fields before the body; the signer ends the body).
"""

from __future__ import annotations

from collections.abc import Callable

from site_builder.parser.rules.banner import read_banner, read_classification
from site_builder.parser.rules.body import read_body, read_body_start
from site_builder.parser.rules.classified_by import read_classified_by
from site_builder.parser.rules.declassify import read_declassify_on
from site_builder.parser.rules.header import (
    read_date,
    read_origin,
    read_routing,
    read_transmission_id,
)
from site_builder.parser.rules.identity import (
    read_front_matter_date,
    read_partial,
    read_reference_id,
)
from site_builder.parser.rules.recipients import read_info_recipients, read_recipients
from site_builder.parser.rules.references import read_references
from site_builder.parser.rules.signers import read_signers
from site_builder.parser.rules.subject import read_subject
from site_builder.parser.rules.summary import read_summary
from site_builder.parser.rules.tags import read_tags
from site_builder.parser.state import ParseState

Rule = Callable[[ParseState], None]

RULES: tuple[tuple[str, Rule], ...] = (
    ("partial", read_partial),
    ("banner", read_banner),
    ("body_start", read_body_start),
    ("transmission_id", read_transmission_id),
    ("routing", read_routing),
    ("date", read_date),
    ("front_matter_date", read_front_matter_date),
    ("origin", read_origin),
    ("recipients", read_recipients),
    ("info_recipients", read_info_recipients),
    ("reference_id", read_reference_id),
    ("classification", read_classification),
    ("declassify_on", read_declassify_on),
    ("tags", read_tags),
    ("subject", read_subject),
    ("references", read_references),
    ("classified_by", read_classified_by),
    ("summary", read_summary),
    ("signers", read_signers),
    ("body", read_body),
)
