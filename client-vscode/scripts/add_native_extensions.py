"""Adds other CPython versions' compiled extensions to a `pip install --target` folder.

pip installs the wheels of the Python that runs it, so a bundle built with 3.11 holds
only `libcst/native.cpython-311-*.so`, and fixes (libcst) would fail for a user whose
interpreter is 3.12. Extension file names carry the CPython version, so the builds for
every supported version can sit side by side; each interpreter loads its own.
The wheels are those of the platform the installed wheel was built for (a bundle for
darwin-arm64 built on linux gets darwin-arm64 parsers).
Only name the packages that need it: pyyaml and tomli fall back to pure Python.

Usage: python3 scripts/add_native_extensions.py bundled/libs libcst [PACKAGE ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SUPPORTED = [(3, 10), (3, 11), (3, 12), (3, 13), (3, 14)]


def installed_wheel(libs: Path, name: str) -> tuple[str, list[str]]:
    """(version, platform tags) of the wheel pip installed for a package."""
    normalized = name.lower().replace("-", "_")
    for dist_info in libs.glob("*.dist-info"):
        dist_name, version = dist_info.name[: -len(".dist-info")].rsplit("-", 1)
        if dist_name.lower().replace("-", "_") == normalized:
            tags = [
                line.split(":", 1)[1].strip()
                for line in (dist_info / "WHEEL").read_text(encoding="utf-8").splitlines()
                if line.startswith("Tag:")
            ]
            return version, sorted({tag.rsplit("-", 1)[1] for tag in tags})
    raise SystemExit(f"add_native_extensions: {name} is not installed in {libs}")


def download_wheel(name: str, version: str, python: tuple[int, int], platforms: list[str], into: Path) -> Path | None:
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--only-binary=:all:", "--python-version", f"{python[0]}.{python[1]}",
        "--dest", str(into), f"{name}=={version}",
    ]
    for platform in platforms:
        command += ["--platform", platform]
    if subprocess.run(command, capture_output=True, text=True).returncode != 0:
        return None
    wheels = sorted(into.glob("*.whl"))
    return wheels[-1] if wheels else None


def is_extension(member: str) -> bool:
    """A CPython-version-specific compiled module (Linux and macOS .so, Windows .pyd)."""
    return (".cpython-3" in member and member.endswith(".so")) or (".cp3" in member and member.endswith(".pyd"))


def copy_extensions(wheel: Path, libs: Path) -> list[str]:
    """Copies the compiled modules of a wheel that are not in the folder yet."""
    added = []
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if is_extension(member) and not (libs / member).exists():
                (libs / member).parent.mkdir(parents=True, exist_ok=True)
                (libs / member).write_bytes(archive.read(member))
                added.append(member)
    return added


def main() -> int:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    libs = Path(sys.argv[1])
    for name in sys.argv[2:]:
        version, platforms = installed_wheel(libs, name)
        for python in SUPPORTED:
            with tempfile.TemporaryDirectory() as scratch:
                wheel = download_wheel(name, version, python, platforms, Path(scratch))
                if wheel is None:
                    # A degraded bundle (fixes fail on that version), not a broken build.
                    print(f"add_native_extensions: WARNING: no {name} {version} wheel for Python {python[0]}.{python[1]}")
                    continue
                added = copy_extensions(wheel, libs)
                print(f"add_native_extensions: {name} {version} for Python {python[0]}.{python[1]}: {len(added)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
