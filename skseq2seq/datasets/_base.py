"""Where datasets live: the data home, as for scikit-learn's ``get_data_home``.

Every ``load_*`` and ``fetch_*`` function takes ``data_home``, the package's
data root, which holds one folder per dataset (``cmu_mocap/``); None means
the ``SKSEQ2SEQ_DATA`` environment variable, else ``~/skseq2seq_data``.
"""

import os
import warnings
from pathlib import Path

__all__ = ["get_data_home"]

ENV_DATA_HOME = "SKSEQ2SEQ_DATA"
# The CMU loaders formerly read this variable, naming the cmu_mocap folder.
_DEPRECATED_ENV = "SKSEQ2SEQ_CMU_DATA"
_CMU = "cmu_mocap"


def _data_home_path(data_home=None):
    """The data home as a path, without creating it."""
    if data_home is None:
        data_home = os.environ.get(ENV_DATA_HOME, Path("~") / "skseq2seq_data")
    return Path(data_home).expanduser()


def get_data_home(data_home=None):
    """Folder where skseq2seq's datasets are stored (the data home).

    It holds one folder per dataset, e.g. ``cmu_mocap/actions/`` and
    ``cmu_mocap/subject86/``; every ``load_*`` and ``fetch_*`` function reads
    (and downloads) its files there.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder. None means the ``SKSEQ2SEQ_DATA`` environment variable if
        set, else ``~/skseq2seq_data``.

    Returns
    -------
    data_home : pathlib.Path
        The folder (created if missing).

    Examples
    --------
    >>> import tempfile
    >>> from skseq2seq.datasets import get_data_home
    >>> get_data_home(tempfile.mkdtemp()).is_dir()
    True
    """
    data_home = _data_home_path(data_home)
    data_home.mkdir(parents=True, exist_ok=True)
    return data_home


def _cmu_folder(data_home, subfolder, hint=""):
    """The folder ``<data_home>/cmu_mocap/<subfolder>``, checked to exist.

    The former ``SKSEQ2SEQ_CMU_DATA`` variable and the former meaning of
    ``data_home`` (the folder holding ``subfolder/``, or that folder itself)
    are still read, with a FutureWarning; ``hint`` ends the error message.
    """
    # stacklevel=3: the user's call of a load_* function.
    if data_home is None and ENV_DATA_HOME not in os.environ and _DEPRECATED_ENV in os.environ:
        warnings.warn(
            f"The {_DEPRECATED_ENV} environment variable is deprecated and will be ignored "
            f"in a future release: set {ENV_DATA_HOME} to the data home, the folder holding "
            f"'{_CMU}/'.",
            FutureWarning,
            stacklevel=3,
        )
        given = f"{_DEPRECATED_ENV}={os.environ[_DEPRECATED_ENV]!r}"
        folder = _data_home_path(os.environ[_DEPRECATED_ENV]) / subfolder
        if folder.is_dir():
            return folder
    else:
        given = (
            f"data_home={str(data_home)!r}"
            if data_home is not None
            else f"data_home=None (the {ENV_DATA_HOME} environment variable, else ~/skseq2seq_data)"
        )
        home = _data_home_path(data_home)
        folder = home / _CMU / subfolder
        if folder.is_dir():
            return folder
        former = [p for p in (home / subfolder, home) if p.name == subfolder and p.is_dir()]
        if former:
            warnings.warn(
                f"data_home={str(data_home)!r} is read in its former meaning, the folder "
                f"holding '{subfolder}/' (or that folder): data_home is now the data home, "
                f"the folder holding '{_CMU}/{subfolder}/' (see get_data_home). The former "
                "meaning will stop working in a future release.",
                FutureWarning,
                stacklevel=3,
            )
            return former[0]
    raise FileNotFoundError(
        f"No folder '{subfolder}' in {folder.parent}: {given} must be the data home, the "
        f"folder holding '{_CMU}/{subfolder}/'.{hint}"
    )
