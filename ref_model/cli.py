"""Moved to regress/ref_cli.py (ref_model is the importable reference, without CLI code).

Only the two parsers regress/train_rtl.py still imports from here remain; delete this
file once it imports them from regress.ref_cli.
"""

from regress.ref_cli import parse_int_list, parse_number  # noqa: F401
