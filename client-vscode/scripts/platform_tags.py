"""The wheel platform tags of each VS Code target that the extension is packaged for.

`vsce package --target T` names the platform; pip needs wheel tags to download that
platform's compiled libraries (libcst's parser) from any build machine.

Usage: python3 scripts/platform_tags.py --host             (this machine's target)
       python3 scripts/platform_tags.py --pip-args TARGET  (--platform arguments for pip)
       python3 scripts/platform_tags.py --targets          (every supported target)
"""

from __future__ import annotations

import platform
import sys

_MANYLINUX = ["manylinux_2_17_{arch}", "manylinux2014_{arch}", "manylinux_2_28_{arch}"]
_MACOS_X64 = ["macosx_10_9_x86_64", "macosx_10_12_x86_64", "macosx_10_13_x86_64", "macosx_10_15_x86_64",
              "macosx_11_0_x86_64", "macosx_10_9_universal2", "macosx_10_13_universal2"]
_MACOS_ARM64 = ["macosx_11_0_arm64", "macosx_12_0_arm64", "macosx_10_9_universal2", "macosx_10_13_universal2"]

PLATFORM_TAGS: dict[str, list[str]] = {
    "linux-x64": [tag.format(arch="x86_64") for tag in _MANYLINUX],
    "linux-arm64": [tag.format(arch="aarch64") for tag in _MANYLINUX],
    "darwin-x64": _MACOS_X64,
    "darwin-arm64": _MACOS_ARM64,
    "win32-x64": ["win_amd64"],
}


def host_target() -> str:
    machine = platform.machine().lower()
    arch = "arm64" if machine in ("arm64", "aarch64") else "x64"
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform)
    target = f"{system}-{arch}"
    if target not in PLATFORM_TAGS:
        raise SystemExit(f"platform_tags: no VS Code target for {sys.platform} {machine}")
    return target


def pip_args(target: str) -> str:
    if target not in PLATFORM_TAGS:
        raise SystemExit(f"platform_tags: unknown target {target!r}; one of {', '.join(PLATFORM_TAGS)}")
    return " ".join(f"--platform {tag}" for tag in PLATFORM_TAGS[target])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--host"]:
        print(host_target())
    elif argv[:1] == ["--targets"]:
        print(" ".join(PLATFORM_TAGS))
    elif argv[:1] == ["--pip-args"] and len(argv) == 2:
        print(pip_args(argv[1]))
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
