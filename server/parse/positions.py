"""Positions: 1-based lines, 0-based columns counted in Unicode code points."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    line: int  # 1-based
    col: int  # 0-based, code points
    end_line: int
    end_col: int

    def overlaps(self, other: "Span") -> bool:
        return (self.line, self.col) < (other.end_line, other.end_col) and (
            other.line,
            other.col,
        ) < (self.end_line, self.end_col)


def byte_to_char_col(line_text: str, byte_col: int) -> int:
    """ast reports UTF-8 byte offsets; editors and our contract count code points."""
    if byte_col <= 0 or line_text.isascii():
        return max(byte_col, 0)
    return len(line_text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
