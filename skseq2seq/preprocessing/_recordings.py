"""Recordings as the transformers take them, and what they can tell about themselves.

A recording is what the readers of :mod:`skseq2seq.io` return: a Bunch with
``data`` (n_frames, n_channels), ``channel_names``, ``fps`` and
``metadata``. Plain arrays are recordings without names, frame rate or
skeleton; the transformers give them back as arrays.
"""

import re

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import Bunch, check_array

__all__ = [
    "RecordingTransformer",
    "as_recordings",
    "joint_of",
    "point_columns",
    "replace",
    "root_name",
    "up_axis",
]

_LAYOUT = (
    "a recording read by skseq2seq.io (a Bunch with data, channel_names, fps, metadata), a "
    "list of them, load_folder's result, a 2D array (n_frames, n_channels) or a list of such "
    "arrays"
)
# Channel-name suffixes of the readers: BVH, ASF/AMC, exponential maps, positions.
_SUFFIX = re.compile(
    r"^(?P<joint>.+?)_(?P<kind>[XYZ]position|[XYZ]rotation|t[xyz]|r[xyz]|l|expmap_[xyz]|[xyz])$"
)
_AXES = "xyz"


def _check_data(data, name):
    data = check_array(
        data, dtype=np.float64, ensure_all_finite="allow-nan", input_name=name, copy=False
    )
    if np.isinf(data).any():
        raise ValueError(f"{name} contains infinity.")
    return data


def _from_bunch(recording, i):
    name = f"recording {i}" if recording.get("filename") is None else recording.filename
    for key in ("data", "channel_names", "metadata"):
        if key not in recording:
            raise ValueError(f"{name} has no {key!r}; expected {_LAYOUT}.")
    data = _check_data(recording.data, f"{name}'s data")
    names = np.asarray(recording.channel_names).astype(str)
    if names.shape != (data.shape[1],):
        raise ValueError(
            f"{name} has {len(names)} channel names for {data.shape[1]} channels of data."
        )
    return Bunch(**{**recording, "data": data, "channel_names": names})


def _from_array(array, i):
    data = _check_data(array, f"recording {i}")
    return Bunch(
        data=data,
        channel_names=np.array([str(c) for c in range(data.shape[1])]),
        fps=None,
        filename=None,
        metadata={"format": "array"},
    )


def as_recordings(X):
    """(list of recording Bunches, a function giving results back in the form of ``X``)."""
    if issparse(X):
        raise TypeError(
            "Sparse input is not supported: recordings are dense arrays (n_frames, n_channels)."
        )
    if isinstance(X, Bunch) and "recordings" in X:  # load_folder's result
        fps = X.get("fps", [None] * len(X.recordings))
        recordings = [
            _from_bunch(
                Bunch(
                    data=data,
                    channel_names=X.channel_names,
                    fps=None if f is None or np.isnan(f) else float(f),
                    filename=name,
                    metadata=metadata,
                ),
                i,
            )
            for i, (data, f, name, metadata) in enumerate(
                zip(X.recordings, fps, X.filenames, X.metadata)
            )
        ]

        def restore(out):
            names = out[0].channel_names if out else X.channel_names
            return Bunch(
                **{
                    **X,
                    "recordings": [r.data for r in out],
                    "channel_names": names,
                    "fps": np.array([np.nan if r.fps is None else r.fps for r in out]),
                    "metadata": [r.metadata for r in out],
                    "filenames": [r.filename for r in out],
                }
            )

        return recordings, restore
    if isinstance(X, Bunch):
        return [_from_bunch(X, 0)], lambda out: out[0] if len(out) == 1 else out
    if isinstance(X, (list, tuple)):
        if not X:
            raise ValueError(f"No recordings: expected {_LAYOUT}.")
        if all(isinstance(x, Bunch) for x in X):
            return [_from_bunch(x, i) for i, x in enumerate(X)], list
        if any(isinstance(x, Bunch) for x in X):
            raise ValueError(f"X mixes recordings and arrays; expected {_LAYOUT}.")
        return [_from_array(x, i) for i, x in enumerate(X)], lambda out: [r.data for r in out]
    if isinstance(X, dict):
        raise ValueError(f"X is a {type(X).__name__} without 'data'; expected {_LAYOUT}.")
    return [_from_array(X, 0)], lambda out: out[0].data if len(out) == 1 else [r.data for r in out]


def replace(recording, **changes):
    """A new recording: ``changes`` set, ``metadata`` updated rather than replaced."""
    metadata = {**recording.metadata, **changes.pop("metadata", {})}
    return Bunch(**{**recording, **changes, "metadata": metadata})


def joint_of(channel):
    """(joint or marker, kind of channel) of a reader's channel name; (name, None) otherwise."""
    match = _SUFFIX.match(channel)
    return (match["joint"], match["kind"]) if match else (channel, None)


def point_columns(recording):
    """{point: [column of x, y, z]} of a recording whose channels are all 3D positions, else None.

    The marker formats (C3D, TRC) and :class:`ForwardKinematics` name a
    point's channels ``<point>_x``, ``_y``, ``_z``.
    """
    names = recording.channel_names
    if len(names) == 0 or len(names) % 3:
        return None
    points = {}
    for c in range(0, len(names), 3):
        triple = [joint_of(n) for n in names[c : c + 3]]
        if [kind for _, kind in triple] != list(_AXES) or len({j for j, _ in triple}) != 1:
            return None
        points[triple[0][0]] = [c, c + 1, c + 2]
    return points


def root_name(recording):
    """The skeleton's root joint, or None for recordings without a skeleton."""
    metadata = recording.metadata
    if "root_joint" in metadata:  # ForwardKinematics' output
        return metadata["root_joint"]
    if metadata.get("format") == "bvh":
        return metadata["joints"][0]
    if metadata.get("format") == "amc":
        return "root"
    return None


def up_axis(recording):
    """Index of the vertical axis: z for C3D (labs' convention), else y (BVH, ASF, OpenSim)."""
    axis = recording.metadata.get(
        "up_axis", "z" if recording.metadata.get("format") == "c3d" else "y"
    )
    return _AXES.index(axis)


class RecordingTransformer(TransformerMixin, BaseEstimator):
    """Base of the stateless transformers over recordings: ``transform`` maps each one.

    Subclasses define ``_transform_one(recording)`` returning a recording,
    or a list of recordings (augmentation).
    """

    _parameter_constraints: dict = {}

    def fit(self, X, y=None):
        """Check the parameters and the recordings; nothing is learned.

        Parameters
        ----------
        X : recording, list of recordings, array-like of shape (n_frames, n_channels) \
                or list of such arrays
            Recordings as :mod:`skseq2seq.io` reads them.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        self._validate_params()
        as_recordings(X)
        return self

    def transform(self, X):
        """Transform every recording.

        Parameters
        ----------
        X : recording, list of recordings, array-like of shape (n_frames, n_channels) \
                or list of such arrays
            Recordings as :mod:`skseq2seq.io` reads them (a Bunch, a list
            of them or :func:`~skseq2seq.io.load_folder`'s result), or
            arrays (recordings without names, frame rate or skeleton).

        Returns
        -------
        X_new : same form as X
            The transformed recordings.
        """
        self._validate_params()
        recordings, restore = as_recordings(X)
        out = []
        for recording in recordings:
            result = self._transform_one(recording)
            out.extend(result if isinstance(result, list) else [result])
        return restore(out)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.allow_nan = True  # markers lost by the cameras; the estimators refuse NaN
        return tags
