"""Suppression comments: `# noqa`, `# noqa: ML201,ML202`, `# mlreview: noqa: ML101`."""

from __future__ import annotations

import re

LINE_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
FILE_NOQA = re.compile(
    r"#\s*mlreview:\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?", re.IGNORECASE
)
CODE = re.compile(r"[A-Za-z]+[0-9]+")


def line_suppresses(line_text: str, code: str) -> bool:
    if "noqa" not in line_text.lower():
        return False
    for match in LINE_NOQA.finditer(line_text):
        if FILE_NOQA.match(line_text, match.start()):  # "# mlreview: noqa" is file-level
            continue
        codes = match.group("codes")
        if codes is None or code in {c.upper() for c in CODE.findall(codes)}:
            return True
    return False


def file_suppressions(text: str) -> set[str] | None:
    """Codes suppressed for the whole file; {"*"} for a bare `# mlreview: noqa`."""
    if "mlreview" not in text:
        return None
    suppressed: set[str] = set()
    for match in FILE_NOQA.finditer(text):
        codes = match.group("codes")
        suppressed |= {c.upper() for c in CODE.findall(codes)} if codes else {"*"}
    return suppressed or None


def add_noqa(line_text: str, code: str) -> str:
    """The line with `code` added to its noqa comment (or a new one). No newline handling."""
    match = LINE_NOQA.search(line_text)
    if match and match.group("codes"):
        if code in {c.upper() for c in CODE.findall(match.group("codes"))}:
            return line_text
        return line_text[: match.end()] + f", {code}" + line_text[match.end():]
    if match:  # a bare noqa already suppresses everything
        return line_text
    return line_text.rstrip() + f"  # noqa: {code}"
