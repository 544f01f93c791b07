"""What is known of the libraries' versions: a range per distribution, from the project's
declarations and lock files (project/metadata.py) or, in the language server, from the
interpreter the editor uses (lsp/interpreter.py).

Some findings depend on a version (`torch.load` unpickles only before torch 2.6): a rule asks
`versions.at_least("torch", "2.6")` and gets True or False only when every version the range
allows agrees; None (unknown) otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RELEASE = re.compile(r"^\s*v?(\d+(?:\.\d+)*)(?:\.?\*)?(?P<rest>.*)$")
CLAUSE = re.compile(r"^\s*(===|==|~=|!=|<=|>=|<|>|\^|~|=)?\s*(\S+)\s*$")
ALIASES = {"sklearn": "scikit-learn", "pytorch": "torch", "pytorch-cpu": "torch", "pytorch-gpu": "torch"}
PARTS = 4  # versions compare on four release numbers: 2.6 == 2.6.0 == 2.6.0.0


def distribution(name: str) -> str:
    """The normalised distribution name (PEP 503, and the import/conda names people write)."""
    normal = re.sub(r"[-_.]+", "-", name.strip().lower())
    return ALIASES.get(normal, normal)


@dataclass(frozen=True, order=True)
class Version:
    """A release, with pre-releases just below it: `2.6.0rc1` < `2.6.0` < `2.6.0.post1`."""

    release: tuple[int, ...]
    final: int = 1  # 0: a pre- or dev release of `release`

    @classmethod
    def parse(cls, text: str) -> "Version | None":
        match = RELEASE.match(text.split("+", 1)[0])  # `2.6.0+cu124`: a local build of 2.6.0
        if match is None:
            return None
        numbers = tuple(int(part) for part in match.group(1).split("."))[:PARTS]
        rest = match.group("rest").lower()
        pre = bool(re.match(r"^[.-]?(a|b|c|rc|alpha|beta|pre|preview|dev)", rest))
        return cls(numbers + (0,) * (PARTS - len(numbers)), 0 if pre else 1)

    def next(self, position: int) -> "Version":
        """The first release after every `X.Y.*` (position 1 for `X.*`, 2 for `X.Y.*`)."""
        bumped = self.release[:position - 1] + (self.release[position - 1] + 1,)
        return Version(bumped + (0,) * (PARTS - len(bumped)), 0)

    def __str__(self) -> str:
        return release_text(self) + ("" if self.final else " (pre-release)")


@dataclass(frozen=True)
class VersionRange:
    """The versions a distribution may have: lower <= v < upper (None: unbounded)."""

    lower: Version | None = None
    upper: Version | None = None  # exclusive; an exact pin is [v, v.post)
    source: str = ""  # where it was read ("uv.lock", "requirements.txt", "interpreter ...")

    @property
    def known(self) -> bool:
        return self.lower is not None or self.upper is not None

    @property
    def exact(self) -> Version | None:
        if self.lower is not None and self.upper == just_after(self.lower):
            return self.lower
        return None

    def at_least(self, version: Version) -> bool | None:
        """True when every allowed version is >= `version`; False when none is; else None."""
        if self.lower is not None and self.lower >= version:
            return True
        if self.upper is not None and self.upper <= version:
            return False
        return None

    def contains(self, version: Version) -> bool:
        return (self.lower is None or self.lower <= version) and (self.upper is None or version < self.upper)

    def intersect(self, other: "VersionRange") -> "VersionRange":
        lower = max((b for b in (self.lower, other.lower) if b is not None), default=None)
        upper = min((b for b in (self.upper, other.upper) if b is not None), default=None)
        sources = ", ".join(s for s in dict.fromkeys((self.source, other.source)) if s)
        if lower is not None and upper is not None and lower >= upper:
            return VersionRange(source=sources)  # contradictory declarations: nothing is known
        return VersionRange(lower, upper, sources)

    def describe(self) -> str:
        """`2.5.1`, `>=2.0,<2.6`, `>2.5`, `<=2.5`, or `unknown`."""
        if self.exact is not None:
            return f"{self.exact}"
        bounds = []
        if self.lower is not None:
            bounds.append((">" if self.lower.final == 2 else ">=") + release_text(self.lower))
        if self.upper is not None:
            bounds.append(("<=" if self.upper.final == 2 else "<") + release_text(self.upper))
        return ",".join(bounds) or "unknown"


def release_text(version: Version) -> str:
    numbers = list(version.release)
    while len(numbers) > 2 and numbers[-1] == 0:
        numbers.pop()
    return ".".join(map(str, numbers))


def just_after(version: Version) -> Version:
    """The upper bound of an exact pin: above `version` and its post-releases' shared release."""
    return Version(version.release, 2)


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


@dataclass(frozen=True)
class KnownVersions:
    """A range per distribution; a distribution not listed is unknown."""

    ranges: tuple[tuple[str, VersionRange], ...] = ()

    def of(self, name: str) -> VersionRange:
        return dict(self.ranges).get(distribution(name), VersionRange())

    def at_least(self, name: str, version: str) -> bool | None:
        return self.of(name).at_least(Version.parse(version))

    def fingerprint(self) -> str:
        """A stable text of what is known and where it was read from (for cache keys)."""
        return ";".join(f"{name}={r.describe()}@{r.source}" for name, r in self.ranges)


UNKNOWN = KnownVersions()


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
