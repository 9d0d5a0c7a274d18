"""Run a chapter's experiment from more seeds than its time budget allows, and record the results.

Chapter 2 compares three learning rates for the source's network on 54,000 images, about a
minute per seed on two cores; the chapter runs seed 0 and reads seeds 1 and 2 from
``records/02_learning_rates.json``, written by this script with ``helpers.records.save_record``.
The recipe below must be the chapter's: the chapter loads the record with its own recipe, and
``helpers.records.load_record`` refuses a record made with another one.
``tests/test_records.py`` reruns seed 1 and compares it with the record.

Usage::

    python scripts/record_seeds.py                       # every record, default seeds
    python scripts/record_seeds.py 02_learning_rates --seeds 1 --records-dir /tmp/records
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import helpers  # noqa: E402, F401  (configures TensorFlow before it is imported)

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402

from helpers import data, models, records, training  # noqa: E402


def learning_rates_02(seeds: Sequence[int]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Chapter 2's learning-rate comparison (its cell after "## The source's network on the full training set")."""
    (x_all, y_all), _ = data.load_mnist()
    split = data.train_val_split(x_all, y_all, val_fraction=0.1, seed=0)
    x_train, x_val = data.scale_pixels(split.x_train), data.scale_pixels(split.x_val)
    y_train, y_val = split.y_train, split.y_val
    del x_all, split
    epochs, patience, batch_size = 8, 2, 128
    steps = epochs * int(np.ceil(len(x_train) / batch_size))
    candidates = {
        "constant 1e-3": 1e-3,
        "constant 2e-3": 2e-3,
        "cosine from 2e-3": keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=steps),
    }
    recipe = records.comparison_recipe(
        candidates,
        epochs=epochs,
        patience=patience,
        batch_size=batch_size,
        n_train=len(x_train),
        n_val=len(x_val),
    )
    results: dict[str, Any] = {}
    for seed in seeds:
        runs = training.compare_learning_rates(
            models.build_mlp,
            candidates,
            x_train,
            y_train,
            validation_data=(x_val, y_val),
            epochs=epochs,
            patience=patience,
            seed=seed,
            batch_size=batch_size,
        )
        results[str(seed)] = {
            name: {"val_loss": [float(v) for v in run.history["val_loss"]], "best_epoch": run.best_epoch}
            for name, run in runs.items()
        }
        print(
            f"seed {seed}: "
            + ", ".join(f"{n} {min(r['val_loss']):.4f}" for n, r in results[str(seed)].items())
        )
    return recipe, results


RECORDS: dict[str, tuple[Callable[[Sequence[int]], tuple[dict, dict]], tuple[int, ...]]] = {
    "02_learning_rates": (learning_rates_02, (1, 2)),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"records to make, of {', '.join(RECORDS)} (all)")
    parser.add_argument("--seeds", type=int, nargs="+", help="seeds to run (each record's default)")
    parser.add_argument("--records-dir", type=Path, help="where to write (the repository's records/)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(RECORDS))
    if unknown:
        parser.error(f"unknown record(s) {', '.join(unknown)}; known: {', '.join(RECORDS)}")
    for name in args.names or RECORDS:
        run, default_seeds = RECORDS[name]
        recipe, results = run(args.seeds or default_seeds)
        print("wrote", records.save_record(name, recipe, results, records_dir=args.records_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
