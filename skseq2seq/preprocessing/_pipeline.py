"""The end of a preprocessing pipeline (arrays for the estimators) and the default pipeline."""

import numbers

from sklearn.pipeline import Pipeline

from .._sklearn_compat import Interval, StrOptions, validate_params
from ._kinematics import ForwardKinematics
from ._recordings import RecordingTransformer, as_recordings
from ._resample import Resampler
from ._root import RootTransformer
from ._selection import JointSelector
from ._units import UnitNormalizer

__all__ = ["ToArrays", "make_motion_preprocessor"]


class ToArrays(RecordingTransformer):
    """The recordings' data, as the list of arrays the estimators take.

    The last step of a preprocessing pipeline (pymo's ``Numpyfier``): it
    checks that every recording has the same channels, so that a folder
    mixing skeletons fails here, naming the files, rather than in the
    network.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.utils import Bunch
    >>> from skseq2seq.preprocessing import ToArrays
    >>> take = Bunch(data=np.zeros((4, 2)), channel_names=np.array(["a", "b"]), fps=30.0,
    ...              filename="take.csv", metadata={})
    >>> [x.shape for x in ToArrays().fit_transform([take, take])]
    [(4, 2), (4, 2)]
    """

    def transform(self, X):
        """The data of every recording.

        Parameters
        ----------
        X : recording, list of recordings, load_folder's result, or arrays
            Recordings.

        Returns
        -------
        X_new : list of ndarray of shape (n_frames_i, n_channels)
            One array per recording (one array for one recording or array).
        """
        self._validate_params()
        recordings, _ = as_recordings(X)
        first = recordings[0]
        for recording in recordings[1:]:
            if list(recording.channel_names) != list(first.channel_names):
                raise ValueError(
                    f"{recording.filename or 'A recording'} has channels "
                    f"{_summary(recording.channel_names)}, but {first.filename or 'the first'} "
                    f"has {_summary(first.channel_names)}: all recordings must have the same "
                    "channels (the same skeleton or marker set)."
                )
        data = [recording.data for recording in recordings]
        single = not isinstance(X, (list, tuple)) and not hasattr(X, "recordings")
        return data[0] if single else data


def _summary(names):
    names = list(names)
    return f"{len(names)} ({', '.join(names[:4])}{', ...' if len(names) > 4 else ''})"


@validate_params(
    {
        "keep_root": ["boolean"],
        "joints": [list, tuple, None],
        "fps": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "representation": [StrOptions({"positions", "rotations"})],
        "unit": [StrOptions({"auto", "size", "m", "cm", "mm", "in", "ft"}), numbers.Real],
    },
    prefer_skip_nested_validation=True,
)
def make_motion_preprocessor(
    *, keep_root=False, joints=None, fps=None, representation="positions", unit="auto"
):
    """The default preprocessing of motion files: where the subject stands and units drop out.

    A :class:`~sklearn.pipeline.Pipeline` from recordings (as
    :mod:`skseq2seq.io` reads them) to the arrays the estimators take:

    1. :class:`UnitNormalizer`: lengths in metres (the unit the file
       states, else the skeleton's size);
    2. :class:`Resampler` to ``fps`` (when given);
    3. :class:`ForwardKinematics`: joint positions, for BVH and ASF/AMC
       files (``representation="positions"``);
    4. :class:`RootTransformer`: the root's horizontal translation dropped,
       or kept as velocity in the heading frame (``keep_root``); the height
       above the floor kept;
    5. :class:`JointSelector` (when ``joints`` is given);
    6. :class:`ToArrays`.

    The same take stored in centimetres or in metres, anywhere in the room,
    gives the same arrays. Recordings without a skeleton or lengths (CSV
    tables of exp-maps, ``.npy`` arrays) go through unchanged.

    Parameters
    ----------
    keep_root : bool, default=False
        Keep the root's horizontal movement, as forward and lateral
        velocity in the body's heading frame (walking vs standing still)
        rather than drop it.
    joints : list of str, default=None
        Keep only these joints or markers (names as the files give them);
        None keeps all.
    fps : float, default=None
        Resample to this frame rate; None keeps the files'.
    representation : {"positions", "rotations"}, default="positions"
        ``"positions"``: joints' positions relative to the root (forward
        kinematics); ``"rotations"``: the rotation channels as read (read
        with ``rotations="expmap"`` for exp-maps), without the root's
        translation.
    unit : {"auto", "size", "m", "cm", "mm", "in", "ft"} or float, default="auto"
        The files' length unit, see :class:`UnitNormalizer`.

    Returns
    -------
    pipeline : :class:`~sklearn.pipeline.Pipeline`
        Unfitted (its steps learn nothing): ``fit_transform(recordings)``
        gives a list of arrays (n_frames_i, n_channels).

    Examples
    --------
    >>> from skseq2seq.preprocessing import make_motion_preprocessor
    >>> preprocess = make_motion_preprocessor(fps=30)
    >>> [name for name, _ in preprocess.steps]
    ['units', 'fps', 'positions', 'root', 'joints', 'arrays']
    >>> preprocess.set_params(root__translation="velocity").named_steps["root"]
    RootTransformer(translation='velocity')
    """
    return Pipeline(
        [
            ("units", UnitNormalizer(unit=unit)),
            ("fps", Resampler(fps) if fps is not None else "passthrough"),
            ("positions", ForwardKinematics() if representation == "positions" else "passthrough"),
            ("root", RootTransformer(translation="velocity" if keep_root else "drop")),
            ("joints", JointSelector(list(joints)) if joints else "passthrough"),
            ("arrays", ToArrays()),
        ]
    )
