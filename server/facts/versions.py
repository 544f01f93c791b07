"""The versions a project declares or locks, read from specifiers (PEP 440, Poetry, conda) and
lock files (project/metadata.py), and the language server's merge with the versions installed
in the editor's interpreter (lsp/interpreter.py). The data types live in model/versions.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.versions import KnownVersions, Version, VersionRange, distribution, just_after

CLAUSE = re.compile(r"^\s*(===|==|~=|!=|<=|>=|<|>|\^|~|=)?\s*(\S+)\s*$")


def exactly(text: str, source: str = "") -> VersionRange:
    version = Version.parse(text)
    return VersionRange(version, just_after(version), source) if version else VersionRange(source=source)


def parse_specifier(spec: str, source: str = "") -> VersionRange:
    """The range a PEP 440 specifier (`>=2.6,<3`, `~=1.5`, `==2.6.*`) or a Poetry constraint
    (`^2.6`, `~2.6`, `2.6.0`, `*`) allows. What cannot be read constrains nothing."""
    result = VersionRange(source=source)
    for clause in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", spec.strip()):
        match = CLAUSE.match(clause)
        if not clause or match is None or match.group(2) == "*":
            continue
        operator, text = match.group(1) or "==", match.group(2)
        result = result.intersect(clause_range(operator, text, source))
    return result


def clause_range(operator: str, text: str, source: str) -> VersionRange:
    version = Version.parse(text)
    if version is None:
        return VersionRange(source=source)
    written = len(re.match(r"\d+(?:\.\d+)*", text.lstrip("v")).group(0).split("."))
    if operator in ("==", "===", "=") and text.endswith("*"):
        return VersionRange(version, version.next(written), source)
    if operator in ("==", "===", "="):
        return VersionRange(version, just_after(version), source)
    if operator == ">=":
        return VersionRange(lower=version, source=source)
    if operator == ">":
        return VersionRange(lower=just_after(version), source=source)
    if operator == "<":
        return VersionRange(upper=Version(version.release, 0), source=source)
    if operator == "<=":
        return VersionRange(upper=just_after(version), source=source)
    if operator == "~=":  # ~=1.5 is >=1.5,<2; ~=1.5.2 is >=1.5.2,<1.6
        return VersionRange(version, version.next(max(written - 1, 1)), source)
    if operator == "~":  # Poetry: ~1.5 is >=1.5,<1.6; ~1 is >=1,<2
        return VersionRange(version, version.next(min(written, 2)), source)
    if operator == "^":  # Poetry: ^2.6 is >=2.6,<3; ^0.3 is >=0.3,<0.4
        first = next((i for i, n in enumerate(version.release[:written]) if n), written - 1)
        return VersionRange(version, version.next(first + 1), source)
    return VersionRange(source=source)  # `!=` excludes one version: no bound



@dataclass
class VersionsBuilder:
    """Collects what each file says: locked versions win over declared ranges (a lock is what
    gets installed); declared ranges from several files must all hold."""

    declared: dict[str, VersionRange] = field(default_factory=dict)
    locked: dict[str, list[VersionRange]] = field(default_factory=dict)

    def declare(self, name: str, spec: str, source: str) -> None:
        name = distribution(name)
        declared = parse_specifier(spec, source)
        if declared.known:
            self.declared[name] = self.declared[name].intersect(declared) if name in self.declared else declared

    def lock(self, name: str, version: str, source: str) -> None:
        pinned = exactly(version, source)
        if pinned.known:
            self.locked.setdefault(distribution(name), []).append(pinned)

    def build(self) -> KnownVersions:
        ranges = dict(self.declared)
        for name, pins in self.locked.items():
            # several lock files (or environments) that disagree: every one of their versions is possible
            lower = min(pin.lower for pin in pins)
            upper = max(pin.upper for pin in pins)
            ranges[name] = VersionRange(lower, upper, ", ".join(dict.fromkeys(pin.source for pin in pins)))
        return KnownVersions(tuple(sorted((n, r) for n, r in ranges.items() if r.known)))


def with_installed(declared: KnownVersions, installed: KnownVersions) -> KnownVersions:
    """The language server's view: what the project declares or locks comes first; the
    interpreter's installed version stands in where nothing is declared, and narrows a
    declared range it lies in."""
    ranges = dict(declared.ranges)
    for name, exact in installed.ranges:
        here = ranges.get(name)
        if here is None or (exact.exact is not None and here.contains(exact.exact)):
            ranges[name] = exact
    return KnownVersions(tuple(sorted(ranges.items())))
