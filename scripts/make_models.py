"""Write the course's pretrained models, ``models/*.keras``, and record their SHA-256.

The models are made by chapter 3 (``chapters/03_pretraining.ipynb``) and saved with
``helpers.pretrained.save_portable``: files that Keras 3.10 (Colab) to 3.15 all load, with every
layer trainable and the same bytes for the same weights. Their digests live in two places,
``PRETRAINED_SHA256`` in ``helpers/pretrained.py`` (checked by ``load_pretrained``) and the
table in ``models/README.md``; this script writes both.

Usage::

    python scripts/make_models.py             # re-save the current files portably (same weights), record
    python scripts/make_models.py --retrain   # run chapter 3 with REFRESH_SHIPPED_MODELS = True, record
    python scripts/make_models.py --record    # only record the digests of the files as they are
    python scripts/make_models.py --check     # exit 1 if files, helpers and README disagree (no writes)

Retraining gives other bits on another machine or with another number of TensorFlow threads
(see ``models/README.md``), so ``--retrain`` changes the digests, and chapter 4's numbers may
move a little: rebuild the book and review its numbers afterwards.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402, F401  (configures TensorFlow before it is imported)
from helpers import pretrained  # noqa: E402

SOURCE = ROOT / "helpers" / "pretrained.py"
README = ROOT / "models" / "README.md"
CHAPTER = ROOT / "chapters" / "03_pretraining.ipynb"
BEGIN, END = "<!-- digests: written by scripts/make_models.py -->", "<!-- end of digests -->"
DICT = re.compile(r"(PRETRAINED_SHA256: dict\[str, str\] = \{\n)(.*?)(\n\})", re.DOTALL)
ROW = re.compile(r"^\| `(\w+)\.keras` \| [\d,]+ \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def digests() -> dict[str, str]:
    """The SHA-256 of every shipped file, as it is on disk."""
    return {
        name: pretrained.file_sha256(pretrained.DEFAULT_MODELS_DIR / f"{name}.keras")
        for name in pretrained.PRETRAINED_SHA256
    }


def readme_digests(text: str) -> dict[str, str]:
    """The digests listed in the table of ``models/README.md``."""
    return dict(ROW.findall(text))


def rewrite_portably() -> None:
    """Load every shipped file (without checking its digest) and save it again with save_portable."""
    import keras

    for name in pretrained.PRETRAINED_SHA256:
        path = pretrained.DEFAULT_MODELS_DIR / f"{name}.keras"
        model = keras.saving.load_model(path, safe_mode=True)
        pretrained.save_portable(model, path)
        print(f"re-saved {path.relative_to(ROOT)}")


def retrain() -> None:
    """Execute chapter 3 with REFRESH_SHIPPED_MODELS = True (about two minutes on two cores)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(CHAPTER, as_version=4)
    flag = "REFRESH_SHIPPED_MODELS = False"
    cells = [c for c in nb.cells if c.cell_type == "code" and flag in c.source]
    if len(cells) != 1:
        raise SystemExit(f"{CHAPTER.name} must set `{flag}` in exactly one code cell.")
    cells[0].source = cells[0].source.replace(flag, "REFRESH_SHIPPED_MODELS = True")
    print(f"executing {CHAPTER.relative_to(ROOT)} with REFRESH_SHIPPED_MODELS = True ...", flush=True)
    NotebookClient(
        nb, timeout=1200, kernel_name="python3", resources={"metadata": {"path": str(CHAPTER.parent)}}
    ).execute()


def record(found: dict[str, str]) -> None:
    """Write the digests into helpers/pretrained.py and the table of models/README.md."""
    body = "\n".join(f'    "{name}": "{digest}",' for name, digest in found.items())
    source = SOURCE.read_text()
    if not DICT.search(source):
        raise SystemExit(f"could not find PRETRAINED_SHA256 in {SOURCE}")
    SOURCE.write_text(DICT.sub(lambda m: m.group(1) + body + m.group(3), source))
    rows = [
        "| file | bytes | SHA-256 |",
        "|---|---:|---|",
        *(
            f"| `{name}.keras` | {(pretrained.DEFAULT_MODELS_DIR / f'{name}.keras').stat().st_size:,} | `{digest}` |"
            for name, digest in found.items()
        ),
    ]
    text = README.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{README} needs the markers {BEGIN} and {END} around the digest table.")
    head, rest = text.split(BEGIN, 1)
    README.write_text(head + BEGIN + "\n" + "\n".join(rows) + "\n" + END + rest.split(END, 1)[1])
    print(f"recorded the digests in {SOURCE.relative_to(ROOT)} and {README.relative_to(ROOT)}")


def check(found: dict[str, str]) -> int:
    """0 if the files, PRETRAINED_SHA256 and the README agree, else 1 (and say what differs)."""
    problems = []
    listed = readme_digests(README.read_text())
    for name, digest in found.items():
        if pretrained.PRETRAINED_SHA256[name] != digest:
            problems.append(f"models/{name}.keras does not match PRETRAINED_SHA256 in helpers/pretrained.py")
        if listed.get(name) != digest:
            problems.append(f"models/{name}.keras does not match the table in models/README.md")
    for problem in problems:
        print(problem)
    if problems:
        print(
            "Restore the files (`git checkout -- models/`) or record them: python scripts/make_models.py --record"
        )
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--retrain", action="store_true", help="retrain with chapter 3 before recording")
    group.add_argument("--record", action="store_true", help="only record the digests of the files")
    group.add_argument("--check", action="store_true", help="only check that files, helpers and README agree")
    args = parser.parse_args(argv)
    if args.check:
        return check(digests())
    if args.retrain:
        retrain()
    elif not args.record:
        rewrite_portably()
    record(digests())
    return 0


if __name__ == "__main__":
    sys.exit(main())
