"""What is known of the libraries' versions: a range per distribution. The facts layer reads
them (facts/versions.py: the project's declarations and lock files, the editor's interpreter);
the engine hands them to the model, as it does the cross-file facts.

Some findings depend on a version (`torch.load` unpickles only before torch 2.6): a rule asks
`model.versions.at_least("torch", "2.6")` and gets True or False only when every version the
range allows agrees; None (unknown) otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RELEASE = re.compile(r"^\s*v?(\d+(?:\.\d+)*)(?:\.?\*)?(?P<rest>.*)$")
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
