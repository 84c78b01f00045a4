"""Fetch the article-extraction-benchmark's pages and ground truth into a local folder.

    python tools/fetch_extraction_benchmark.py                 # download from GitHub
    python tools/fetch_extraction_benchmark.py --git REPO_DIR  # from a local clone
    python tools/fetch_extraction_benchmark.py --dest DIR      # somewhere else

The benchmark (github.com/scrapinghub/article-extraction-benchmark, MIT licence) holds
181 news and blog pages (``html/<id>.html.gz``) and the article body a person marked in
each (``ground-truth.json``: ``{id: {"articleBody": …, "url": …}}``); its ``evaluate.py``
scores an extractor by precision and recall of word 4-gram shingles. It is read by
``benchmarks/extraction_quality.py``.

The data never goes into this repository: the default folder is
``$POLICYCITE_CACHE_DIR`` (else ``~/.cache/policycite``) ``/article-extraction-benchmark``.
It gets ``html/<id>.html`` (the pages unzipped, bytes as published), ``ground-truth.json``
and ``SOURCE`` (repository and commit). The commit is pinned, so every run scores the same
pages; ``--commit`` picks another. A folder already complete for that commit is left alone.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

REPOSITORY = "scrapinghub/article-extraction-benchmark"
#: The commit whose pages and ground truth the published results were computed on
#: (2025: trafilatura 2.0.0 F1 0.958).
COMMIT = "4a3bc979f76c0df73cb95fe272e2fc1b96f9f010"
PAGES = 181


def default_folder() -> Path:
    """Where the benchmark goes unless --dest says otherwise (a cache, never the repo)."""
    own = os.environ.get("POLICYCITE_CACHE_DIR")
    if own:
        base = Path(own)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "policycite"
    return base / "article-extraction-benchmark"


def _members_from_git(repo: Path, commit: str) -> dict[str, bytes]:
    """ground-truth.json and html/*.html.gz of a commit in a local git repository."""

    def git(*args: str) -> bytes:
        return subprocess.run(
            ["git", "--git-dir" if (repo / "HEAD").is_file() else "-C", str(repo), *args],
            check=True,
            capture_output=True,
        ).stdout

    names = git("ls-tree", "-r", "--name-only", commit, "--", "html", "ground-truth.json")
    out = {}
    for name in names.decode().splitlines():
        if name == "ground-truth.json" or name.endswith(".html.gz"):
            out[name] = git("show", f"{commit}:{name}")
    return out


def _members_from_github(commit: str) -> dict[str, bytes]:
    """The same files from GitHub's tarball of the commit (one HTTPS download, ~25 MB)."""
    url = f"https://codeload.github.com/{REPOSITORY}/tar.gz/{commit}"
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            # "<repo>-<commit>/html/x.html.gz": drop the top folder; read, never extract.
            name = member.name.split("/", 1)[-1]
            wanted = name == "ground-truth.json" or (
                name.startswith("html/") and name.endswith(".html.gz")
            )
            handle = archive.extractfile(member) if member.isfile() and wanted else None
            if handle is not None:
                out[name] = handle.read()
    return out


def _complete(dest: Path, commit: str) -> bool:
    source = dest / "SOURCE"
    return (
        source.is_file()
        and commit in source.read_text(encoding="utf-8")
        and len(list((dest / "html").glob("*.html"))) == PAGES
        and (dest / "ground-truth.json").is_file()
    )


def write(members: dict[str, bytes], dest: Path, commit: str) -> int:
    """Write the pages (gunzipped) and ground truth into dest, replacing it whole."""
    truth = json.loads(members["ground-truth.json"])
    pages = {
        Path(name).name.removesuffix(".html.gz"): gzip.decompress(data)
        for name, data in members.items()
        if name.endswith(".html.gz")
    }
    missing = sorted(set(truth) - set(pages))
    if missing:
        raise SystemExit(f"error: {len(missing)} pages of the ground truth missing: {missing[0]}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Build beside dest and swap: an interrupted run never leaves a half-filled folder.
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        (tmp / "html").mkdir()
        for key, data in sorted(pages.items()):
            (tmp / "html" / f"{key}.html").write_bytes(data)
        (tmp / "ground-truth.json").write_bytes(members["ground-truth.json"])
        (tmp / "SOURCE").write_text(f"https://github.com/{REPOSITORY} {commit}\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=None, help="folder to fill")
    parser.add_argument("--git", type=Path, help="a local clone (or bare git dir) to read")
    parser.add_argument("--commit", default=COMMIT, help="commit to read (default: pinned)")
    parser.add_argument("--force", action="store_true", help="replace a complete folder")
    args = parser.parse_args(argv)
    dest = (args.dest or default_folder()).expanduser().resolve()
    repo_root = Path(__file__).resolve().parents[1]
    if dest.is_relative_to(repo_root):
        print(f"error: {dest} is inside the repository; the data is never committed")
        return 2
    if _complete(dest, args.commit) and not args.force:
        print(f"{dest}: already holds the benchmark at {args.commit[:7]}")
        return 0
    if args.git:
        members = _members_from_git(args.git, args.commit)
    else:
        members = _members_from_github(args.commit)
    count = write(members, dest, args.commit)
    print(f"{dest}: {count} pages and ground-truth.json ({REPOSITORY} at {args.commit[:7]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
