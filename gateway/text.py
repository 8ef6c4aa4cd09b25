"""Text checks shared by the gateway and the sandbox, which both take JSON from strangers."""

from __future__ import annotations


def is_unicode_text(text: str) -> bool:
    """False for a string holding a lone surrogate (U+D800..U+DFFF), which UTF-8 cannot encode:
    JSON allows `"\\ud800"`, and such a string fails wherever it is encoded later."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
