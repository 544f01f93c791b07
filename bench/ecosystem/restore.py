"""Materialise the ecosystem corpus: each repository of sources.toml at its pinned commit.

    python bench/ecosystem/restore.py [--corpus DIR] [--mirrors DIR] [--only NAME ...]

Each repository lands in CORPUS/<owner>+<name>/ (only its listed subfolders), with an
`mlreview.toml` so that mlreview treats it as a project of its own, and a stamp file
recording the commit (a restored repository is skipped on the next run).

Where a repository comes from, first match wins:
1. a local mirror: a bare git dir MIRRORS/<owner>+<name>/repo, MIRRORS/<owner>+<name>,
   MIRRORS/<owner>/<name>.git or MIRRORS/<name>.git holding the commit
   (--mirrors, or MLREVIEW_ECOSYSTEM_MIRRORS);
2. the network: `git fetch --depth 1` of the commit from github.com.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SOURCES = HERE / "sources.toml"
STAMP = ".ecosystem-commit"
ROOT_MARKER = "mlreview.toml"
MAX_FILE_BYTES = 4 * 1024 * 1024
ROOT_MARKER_TEXT = "# ecosystem corpus: this repository is one mlreview project, default settings\n"


@dataclass(frozen=True)
class Source:
    name: str
    commit: str
    subfolders: tuple[str, ...]
    license: str
    style: str

    @property
    def folder_name(self) -> str:
        return self.name.replace("/", "+")


def load_sources(path: Path = SOURCES) -> tuple[list[Source], dict]:
    """The pinned repositories and the [report] table of sources.toml."""
    document = tomllib.loads(path.read_text("utf-8"))
    sources = [
        Source(entry["name"], entry["commit"], tuple(entry.get("subfolders", ())),
               entry.get("license", ""), entry.get("style", ""))
        for entry in document.get("repo", [])
    ]
    return sources, document.get("report", {})


def default_corpus() -> Path:
    return Path(os.environ.get("MLREVIEW_ECOSYSTEM_CORPUS") or REPO_ROOT / ".ecosystem-corpus")


def is_restored(folder: Path, source: Source) -> bool:
    stamp = folder / STAMP
    return stamp.is_file() and stamp.read_text("utf-8").strip() == source.commit


def mirror_candidates(mirrors: Path, source: Source) -> list[Path]:
    owner, name = source.name.split("/")
    return [mirrors / source.folder_name / "repo", mirrors / source.folder_name,
            mirrors / owner / f"{name}.git", mirrors / f"{name}.git"]


def has_commit(git_dir: Path, commit: str) -> bool:
    probe = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "-e", f"{commit}^{{commit}}"],
                           capture_output=True)
    return probe.returncode == 0


def find_mirror(mirrors: Path | None, source: Source) -> Path | None:
    if mirrors is None:
        return None
    for candidate in mirror_candidates(mirrors, source):
        if candidate.is_dir() and has_commit(candidate, source.commit):
            return candidate
    return None


def fetch_from_github(source: Source, scratch: Path) -> Path:
    """A shallow bare repository holding just the pinned commit."""
    git_dir = scratch / "fetched.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(git_dir)], check=True)
    subprocess.run(["git", "--git-dir", str(git_dir), "fetch", "--quiet", "--depth", "1",
                    f"https://github.com/{source.name}.git", source.commit], check=True)
    return git_dir


def tree_blobs(git_dir: Path, source: Source) -> list[tuple[str, int, str]]:
    """(object id, size, path) of the commit's regular files under its subfolders."""
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-l", "-z",
                              source.commit, "--", *source.subfolders],
                             capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    blobs = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, object_id, size = meta.split()
        if kind != "blob" or mode not in ("100644", "100755"):  # no symlinks, no submodules
            continue
        # a mirror lacks its big files: ls-tree cannot size them; they are skipped anyway
        blobs.append((object_id, int(size) if size.isdigit() else MAX_FILE_BYTES, path))
    return blobs


def extract(git_dir: Path, source: Source, destination: Path) -> int:
    """Write the commit's files (its subfolders only) into destination; return how many.

    Files of MAX_FILE_BYTES and more are skipped whatever the origin: local mirrors lack
    them, and skipping them everywhere keeps the corpus identical (they are data, not code).
    """
    wanted = [blob for blob in tree_blobs(git_dir, source) if blob[1] < MAX_FILE_BYTES]
    reader = subprocess.Popen(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert reader.stdin and reader.stdout
    for object_id, _, path in wanted:
        reader.stdin.write(object_id.encode() + b"\n")
        reader.stdin.flush()
        header = reader.stdout.readline().split()
        if header[1] == b"missing":
            raise RuntimeError(f"{source.name}: object {object_id} ({path}) is missing")
        content = reader.stdout.read(int(header[2]))
        reader.stdout.read(1)  # the newline after each object
        target = destination / path
        if destination.resolve() not in target.resolve().parents:
            raise RuntimeError(f"{source.name}: path escapes the corpus: {path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    reader.stdin.close()
    reader.wait()
    return len(wanted)


def restore(source: Source, corpus: Path, mirrors: Path | None) -> str:
    folder = corpus / source.folder_name
    if is_restored(folder, source):
        return "up to date"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        git_dir = find_mirror(mirrors, source)
        origin = f"mirror {git_dir}" if git_dir else "github.com"
        written = extract(git_dir or fetch_from_github(source, Path(scratch)), source, folder)
    (folder / ROOT_MARKER).write_text(ROOT_MARKER_TEXT, "utf-8")
    (folder / STAMP).write_text(source.commit + "\n", "utf-8")
    return f"{written} files from {origin}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus(),
                        help="where to put the repositories (default: MLREVIEW_ECOSYSTEM_CORPUS "
                             "or .ecosystem-corpus/)")
    parser.add_argument("--mirrors", type=Path, default=os.environ.get("MLREVIEW_ECOSYSTEM_MIRRORS"),
                        help="folder of local bare git mirrors to use before the network")
    parser.add_argument("--only", nargs="*", default=None, help="restore only these owner/name")
    parser.add_argument("--sources", type=Path, default=SOURCES, help="the pinned repositories (sources.toml)")
    args = parser.parse_args(argv)
    sources, _ = load_sources(args.sources)
    failures = 0
    for source in sources:
        if args.only and source.name not in args.only:
            continue
        try:
            print(f"{source.name:50} {restore(source, args.corpus, args.mirrors)}")
        except (subprocess.CalledProcessError, RuntimeError, OSError) as error:
            failures += 1
            print(f"{source.name:50} FAILED: {error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
