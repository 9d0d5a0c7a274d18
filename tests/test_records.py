"""helpers.records and scripts/record_seeds.py: records of runs too long for a chapter."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest
from notebook_tools import ROOT, script

from helpers import records

COSINE = keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=100)


def _recipe(**change):
    sizes = {"epochs": 8, "patience": 2, "batch_size": 128, "n_train": 54000, "n_val": 6000} | change
    return records.comparison_recipe({"constant": 1e-3, "cosine": COSINE}, **sizes)


def test_a_record_reads_back_with_its_recipe(tmp_path):
    results = {"1": {"constant": {"val_loss": [0.3, 0.2], "best_epoch": 2}}}
    path = records.save_record("x", _recipe(), results, records_dir=tmp_path)
    assert path == tmp_path / "x.json"
    assert records.load_record("x", _recipe(), records_dir=tmp_path) == results


def test_a_record_made_with_another_recipe_is_refused(tmp_path):
    records.save_record("x", _recipe(), {"1": {}}, records_dir=tmp_path)
    with pytest.raises(ValueError, match=r"another recipe \(differs in epochs\).*record_seeds.py x"):
        records.load_record("x", _recipe(epochs=9), records_dir=tmp_path)
    other_schedule = records.comparison_recipe(
        {"constant": 1e-3, "cosine": keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=101)},
        epochs=8,
        patience=2,
        batch_size=128,
        n_train=54000,
        n_val=6000,
    )
    with pytest.raises(ValueError, match="differs in learning_rates"):
        records.load_record("x", other_schedule, records_dir=tmp_path)


def test_a_missing_record_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/record_seeds.py nothing"):
        records.load_record("nothing", _recipe(), records_dir=tmp_path)


def test_schedules_are_described_by_their_config():
    described = records.describe_learning_rates({"constant": 1e-3, "cosine": COSINE})
    assert described["constant"] == 1e-3
    assert described["cosine"]["schedule"] == "CosineDecay"
    assert described["cosine"]["decay_steps"] == 100 and described["cosine"]["initial_learning_rate"] == 2e-3
    json.dumps(described)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: records.describe_learning_rates({}), TypeError, "non-empty dict"),
        (lambda: records.describe_learning_rates({"a": "fast"}), TypeError, "number or a Keras schedule"),
        (lambda: records.describe_learning_rates({1: 0.1}), TypeError, "names must be strings"),
        (lambda: records.save_record("../x", {}, {}), ValueError, "plain file name"),
        (lambda: records.save_record("x", {"a": object()}, {}), TypeError, "JSON values"),
        (lambda: records.load_record("x", ["not", "a", "dict"]), TypeError, "recipe must be a dict"),
        (lambda: _recipe(epochs=-1), ValueError, "epochs must be >= 0"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_shipped_record_is_chapter_2s_recipe():
    """Without running anything: the record holds seeds 1 and 2 and the recipe of the script."""
    record = json.loads((ROOT / "records" / "02_learning_rates.json").read_text())
    assert sorted(record["results"]) == ["1", "2"]
    assert record["recipe"]["learning_rates"]["cosine from 2e-3"]["decay_steps"] == 8 * int(
        np.ceil(54000 / 128)
    )
    for by_name in record["results"].values():
        assert set(by_name) == set(record["recipe"]["learning_rates"])


@pytest.mark.slow
def test_rerunning_seed_1_gives_the_record(tmp_path):
    """Reruns chapter 2's comparison from seed 1 (about a minute) and compares it with the record.

    Training is repeatable on one machine, not bit for bit across machines or thread counts, so
    the validation losses may differ a little; the run's length, its best epoch and the winner may not.
    The record was made on the authoring machine; on an AMD EPYC with AVX-512 (2026-12-04) the
    rerun's losses were up to 5.3 % away from it, later epochs further than earlier ones (a rounding
    difference grows as training goes on), so the losses are compared to 10 %.
    """
    record_seeds = script("record_seeds")
    assert record_seeds.main(["02_learning_rates", "--seeds", "1", "--records-dir", str(tmp_path)]) == 0
    fresh = json.loads((tmp_path / "02_learning_rates.json").read_text())
    shipped = json.loads((ROOT / "records" / "02_learning_rates.json").read_text())
    assert fresh["recipe"] == shipped["recipe"]
    for name, run in shipped["results"]["1"].items():
        again = fresh["results"]["1"][name]
        assert again["best_epoch"] == run["best_epoch"] and len(again["val_loss"]) == len(run["val_loss"]), (
            name
        )
        np.testing.assert_allclose(again["val_loss"], run["val_loss"], rtol=0.1, err_msg=name)
