"""The course's shipped models: write them so that every supported Keras reads them, and load
them after checking their SHA-256.

The six files in ``models/`` are made by chapter 3 and used by chapter 4. Like
``data/mnist.npz`` (see :mod:`helpers.data`), each file has a published SHA-256
(:data:`PRETRAINED_SHA256`, also in ``models/README.md``); :func:`load_pretrained` checks it,
then loads the file in safe mode.

The course runs on Keras 3.10 (Colab's TensorFlow 2.19) to 3.15 (the authoring environment).
A file that Keras 3.15 saves does not load in Keras 3.10: newer Keras writes constructor
arguments that older Keras does not know (``quantization_config=None`` on ``Dense``,
``input_axes=None`` on ``GlorotUniform``, ``renorm=False`` on ``BatchNormalization``), and
Keras refuses unknown arguments. :func:`save_portable` saves a model and removes those
arguments where they hold their default value, which is what older Keras assumes anyway.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import keras

from helpers._validation import check_choice

#: Where the course keeps its pretrained models (``models/`` at the repository root).
DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[1] / "models"

#: SHA-256 of each shipped file, ``models/NAME.keras``; the table in ``models/README.md``
#: lists the same digests. ``scripts/make_models.py`` rewrites both.
PRETRAINED_SHA256: dict[str, str] = {
    "mnist04_mlp": "2abed19728a94ecf65cf9fe8de2b84a267a24a4f5abb4fb5ff00bcad60a3dc8d",
    "mnist04_cnn": "6a7ddb891b7102a8d0f96763be54aa5ba13016dd8dce74f04d9cb160be8e8396",
    "mnist04_encoder": "6b999db9e9297f8e69f499750d29f4cd94beafcae0bee632bbecc79fcf85bac2",
    "mnist_mlp": "7910aa36bc82d6e941ef43b41388ac986c07a5b0968be2b84c6f59ab3f966125",
    "mnist_cnn": "636b2b813c8c5beb71f73e24a4e863010578d4d366cf49d6601896fd0c55505e",
    "mnist_encoder": "9d8e067b3c72ba4dcbb1da9c5fb6fdbef30f6461532e97b1591d0e5202372190",
}

#: Constructor arguments that Keras 3.15 writes into a model's ``config.json`` and that
#: Keras 3.10 does not accept, by serialized class name, with the default value that
#: :func:`save_portable` may drop (older Keras behaves as if it had that value).
NEWER_KERAS_ARGUMENTS: dict[str, dict[str, Any]] = {
    "Dense": {"quantization_config": None},
    "EinsumDense": {"quantization_config": None},
    "Embedding": {"quantization_config": None},
    "BatchNormalization": {"renorm": False, "renorm_clipping": None, "renorm_momentum": 0.99},
    **{
        initializer: {"input_axes": None, "output_axes": None}
        for initializer in (
            "VarianceScaling", "GlorotUniform", "GlorotNormal", "LecunUniform", "LecunNormal",
            "HeUniform", "HeNormal",
        )
    },
}  # fmt: skip

#: Zip entries of a ``.keras`` file, in the order Keras writes them.
_ENTRIES = ("metadata.json", "config.json", "model.weights.h5")

_FIX = (
    "Restore it with `git checkout -- models/` (or re-clone the course). If you retrained the "
    "models on purpose, run `python scripts/make_models.py --record` to record the new digests."
)


class PretrainedIntegrityError(RuntimeError):
    """A shipped model file is missing, unreadable, or does not match its SHA-256."""


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hexadecimal digits.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
    """
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_pretrained(name: str, *, models_dir: str | Path | None = None, verify: bool = True) -> keras.Model:
    """Load one of the course's pretrained models, after checking its SHA-256.

    Parameters
    ----------
    name : str
        One of the keys of :data:`PRETRAINED_SHA256`, e.g. ``"mnist04_cnn"``.
    models_dir : str or Path, optional
        The folder holding ``NAME.keras``; defaults to :data:`DEFAULT_MODELS_DIR`.
    verify : bool, default True
        Check the file against :data:`PRETRAINED_SHA256` before loading it.

    Returns
    -------
    keras.Model
        Uncompiled, every layer trainable; inputs are 28x28 images scaled to [0, 1].

    Raises
    ------
    PretrainedIntegrityError
        If the file is missing, unreadable, or does not match its SHA-256; the message names
        the file and how to restore it.
    TypeError, ValueError
        If an argument has the wrong type, or ``name`` is not one of the course's models.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'mnist04_cnn', got {type(name).__name__}.")
    check_choice(name, "pretrained model", tuple(PRETRAINED_SHA256))
    if not isinstance(verify, bool):
        raise TypeError(f"verify must be True or False, got {verify!r}.")
    if models_dir is not None and not isinstance(models_dir, (str, Path)):
        raise TypeError(f"models_dir must be a path (str or Path), got {type(models_dir).__name__}.")
    path = Path(DEFAULT_MODELS_DIR if models_dir is None else models_dir) / f"{name}.keras"
    if not path.is_file():
        raise PretrainedIntegrityError(f"Pretrained model file not found: {path}. {_FIX}")
    if verify:
        digest, expected = file_sha256(path), PRETRAINED_SHA256[name]
        if digest != expected:
            raise PretrainedIntegrityError(
                f"Pretrained model file {path} does not match its SHA-256 (got {digest[:12]}..., "
                f"expected {expected[:12]}...): it is corrupted or is not the course's {name!r}. {_FIX}"
            )
    try:
        return keras.saving.load_model(path, safe_mode=True)
    except Exception as exc:  # zipfile.BadZipFile, OSError, ValueError from Keras...
        raise PretrainedIntegrityError(
            f"Pretrained model file {path} could not be loaded ({type(exc).__name__}: {exc}). The course "
            f"supports Keras 3.10 to 3.15; this is Keras {keras.__version__}. {_FIX}"
        ) from exc


def save_portable(model: keras.Model, path: str | Path) -> Path:
    """Save ``model`` as a ``.keras`` file that Keras 3.10 to 3.15 all load, every layer trainable.

    The file is what ``model.save(path)`` writes, with three changes to its ``config.json``
    and metadata; the weights are stored unchanged.

    - Arguments listed in :data:`NEWER_KERAS_ARGUMENTS` are removed where they hold their
      default value, so that older Keras, which does not know them, can build the layers.
    - Every layer is recorded as trainable. Freezing is a choice of whoever reuses the model;
      a layer that happened to be frozen when it was saved (for example because it is shared
      with a frozen backbone) would otherwise load frozen, and ``fit`` would skip it.
    - The parts that change from one save to the next (the date, the memory addresses Keras
      uses as ids of shared objects, the weights' time stamp in the archive) are made
      constant, so saving the same model again, in this process or in another, gives the same
      bytes and the same SHA-256.

    Parameters
    ----------
    model : keras.Model
        The model to save; it is not modified. Only its architecture and weights are saved,
        never an optimizer or compile settings.
    path : str or Path
        Where to write; must end in ``.keras``. An existing file is replaced.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``path`` is not a path.
    ValueError
        If ``path`` does not end in ``.keras``, or if the model uses one of the newer arguments
        with a value other than its default (older Keras could not load it).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}.")
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a path (str or Path), got {type(path).__name__}.")
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"path must end in '.keras' (Keras' native format), got {path.name!r}.")
    if getattr(model, "optimizer", None) is not None:
        # A new model on the same layers: the same weights, no optimizer, no compile settings.
        try:
            model = keras.Model(model.input, model.output, name=model.name)
        except (AttributeError, ValueError) as exc:
            raise ValueError(
                f"model {model.name!r} is compiled and not a functional model, so its optimizer "
                "cannot be left out; save an uncompiled copy of it instead."
            ) from exc
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "model.keras"
        model.save(saved)
        with zipfile.ZipFile(saved) as archive:
            entries = {name: archive.read(name) for name in archive.namelist()}
    if set(entries) != set(_ENTRIES):
        raise RuntimeError(f"Keras wrote unexpected entries {sorted(entries)}; expected {list(_ENTRIES)}.")
    config = json.loads(entries["config.json"])
    entries["config.json"] = json.dumps(portable_config(config)).encode()
    metadata = json.loads(entries["metadata.json"])
    metadata.pop("date_saved", None)
    entries["metadata.json"] = json.dumps(metadata).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in _ENTRIES:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    path.write_bytes(buffer.getvalue())
    return path


def portable_config(config: dict) -> dict:
    """A copy of a serialized model config that older Keras can read, every layer trainable.

    This is the rewrite that :func:`save_portable` applies to ``config.json``: drop the
    default-valued :data:`NEWER_KERAS_ARGUMENTS`, set every ``"trainable"`` to true, and
    number shared objects 1, 2, 3... in order of appearance instead of by memory address.

    Parameters
    ----------
    config : dict
        A serialized Keras object, as in a ``.keras`` file's ``config.json``.

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        If a newer argument holds a value other than its default.
    """
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict (a serialized Keras object), got {type(config).__name__}.")
    shared_ids: dict[Any, int] = {}

    def rewrite(node: Any, where: str) -> Any:
        if isinstance(node, list):
            return [rewrite(item, f"{where}[{i}]") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {}
        class_name = node.get("class_name")
        newer = NEWER_KERAS_ARGUMENTS.get(class_name, {}) if isinstance(class_name, str) else {}
        if not isinstance(node.get("config"), dict):
            newer = {}
        here = f"{where}/{node.get('name') or node.get('class_name') or ''}".rstrip("/")
        for key, value in node.items():
            if key == "shared_object_id":
                out[key] = shared_ids.setdefault(value, len(shared_ids) + 1)
            elif key == "trainable" and isinstance(value, bool):
                out[key] = True
            elif key == "config" and newer:
                for arg, default in newer.items():
                    if arg in value and value[arg] != default:
                        raise ValueError(
                            f"{here} ({node['class_name']}) has {arg}={value[arg]!r}; Keras 3.10 cannot "
                            f"load that argument, and only its default ({default!r}) can be left out. "
                            "Use a model without it, or drop support for older Keras."
                        )
                kept = {k: v for k, v in value.items() if k not in newer}
                out[key] = rewrite(kept, here)
            else:
                out[key] = rewrite(value, here)
        return out

    return rewrite(config, "")
