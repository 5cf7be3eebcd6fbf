"""Downloading public datasets, with checksums (scikit-learn ``fetch_*`` style)."""

import hashlib
import shutil
import tempfile
import urllib.request
from pathlib import Path

from .._sklearn_compat import validate_params
from ._base import get_data_home
from ._cmu import load_cmu_actions

__all__ = ["fetch_cmu_actions"]

# The CMU action recordings (exponential maps, 117 channels) as published with
# Li et al., "Convolutional Sequence to Sequence Model for Human Dynamics"
# (CVPR 2018), training split, the data Su & Shlizerman 2020 cluster.
CMU_ACTIONS_BASE_URL = (
    "https://raw.githubusercontent.com/chaneyddtt/"
    "Convolutional-Sequence-to-Sequence-Model-for-Human-Dynamics/master/data/cmu_mocap/train/"
)
# (relative path, sha256) of every file; the checksums are those of the copies
# this package was developed against.
CMU_ACTIONS_FILES = (
    (
        "basketball/basketball_1.txt",
        "7c21f4c0d861a5489e0cde47026eaf97707fb5dd0d29adf19addd6c97bc3736c",
    ),
    (
        "basketball/basketball_2.txt",
        "cc6c19845c755ee255495cf26d2b068471b1fadc01d18aeaa7498c66392a1680",
    ),
    (
        "basketball/basketball_3.txt",
        "59c8b75e5e930c5dbe8a65e4e0a1012ca2fd3e9725137f755aeca2bca4e8fed8",
    ),
    (
        "basketball/basketball_4.txt",
        "91771bae89ba73abc131c00d027aa23904fa8a99095f3eee2aa4a38c39fe40eb",
    ),
    (
        "basketball/basketball_5.txt",
        "177a424d5417e99a846350e8b7841598825d1b20792ad10d5023e61a2f7ae77f",
    ),
    (
        "basketball_signal/basketball_signal_1.txt",
        "e2daa3353de5109dd00e3aa2003f230a708504a0e00951613d333d97688505a7",
    ),
    (
        "basketball_signal/basketball_signal_2.txt",
        "838a28e6b67b8d05ab56145899240fc07ff505e80828dd5ab1e1f55c0fd917ef",
    ),
    (
        "basketball_signal/basketball_signal_3.txt",
        "86c5edb26464d30b04584fed97d0219ba73bd4d70b1760a46631a0d0f52a0c3e",
    ),
    (
        "basketball_signal/basketball_signal_4.txt",
        "bc7c9c5ca4cd282c2123da2802d4bf64275f8ae60aca0c2f6dc2c961d4755c6d",
    ),
    (
        "basketball_signal/basketball_signal_5.txt",
        "abfd225087b08a6e245fb213878d8633061a733b8bf61f0cf19ce78d156a68a5",
    ),
    (
        "directing_traffic/directing_traffic_1.txt",
        "1686186d9ac20518fcf57ae092f7acfbad31ba4d8f9d8b3a396309a73e525804",
    ),
    (
        "directing_traffic/directing_traffic_4.txt",
        "ccb318b5de3588924f36e6dd5e8529cb604fbb5343846b4ec0a7b3de6e216dec",
    ),
    ("jumping/jumping_1.txt", "1441aa13e9ed397d88603db851596f11721d15f31508134c3d260e0948a91b6d"),
    ("jumping/jumping_2.txt", "d1d1e3c8776771d3bb03d2a6e43d9ae34d0cc972222d2168c4af361ee9677dbf"),
    ("jumping/jumping_3.txt", "96f03066d3c808b334bae1a12e6a15b2315cacbda8df1160cd3ae16dcc2ac0c7"),
    ("jumping/jumping_4.txt", "866f1b2e5e879c24c0b369b03de17bad9b60441d7417e5b4e6e44bf2d59ca58a"),
    ("jumping/jumping_5.txt", "59db2b8a4639378a0de9b572d951c300e560e2e29ef3ff543cef502394ed678b"),
    ("running/running_1.txt", "7fa23d484e42736796a831543879d694bf00ced74967ef89b30c36d478aa97ec"),
    ("running/running_2.txt", "8e46764e910f6756b335af6a2b12d882c1400acd7c7761f850cbc68455d90320"),
    ("running/running_3.txt", "9dae5797ce0b0bd429330b1ce79161159b8c095ae9430f99a09c482c75b4d60f"),
    ("running/running_4.txt", "ffb983f368ad454fbe43b861deb7b6d630d4e604a48a7928275a03e5beb7ec4f"),
    ("running/running_5.txt", "c76605484e2434da99de1320fe2f9f40e969833e62565d79dbda08f4e360d086"),
    ("soccer/soccer_1.txt", "c238012cd3dd2147f77a9f78b9da9096341848c789b8cf2409adecbff195fba2"),
    ("soccer/soccer_2.txt", "b7eb2d445332867815336ea417bdf67a86a29e29554322dc7c6fab8e47d31783"),
    ("soccer/soccer_3.txt", "1cad2b1fe63b81f419e4e65ace483328d9f99293083f779199c5f037df0a28d2"),
    ("soccer/soccer_4.txt", "5355451997838daeff09b7c9523cc0b1b8bd39ebfc374b65f4e996eb16cf7190"),
    ("soccer/soccer_5.txt", "491d3dce18ceb63e04c04e03f25fd6da578777810e7388ca699758fbf1465102"),
    ("walking/walking_1.txt", "594fd1ec95dd385dfaa04e4230ebc047b4917ecc0615629a6a92f11d7dd3ca49"),
    ("walking/walking_2.txt", "9f00af52c9361f16df6820846141e282b4d4958edae4952c486f141da8ff7f92"),
    ("walking/walking_3.txt", "f5ff48a358d4de2eb95a10d69d0a7195bfb4da51ee6203aab3bf842bac352d03"),
    ("walking/walking_4.txt", "608910282c0ad1cbeef718cdd835481a703557146524b68eefbb5ec792544e61"),
    ("walking/walking_5.txt", "a955054b2a4fd3207f2feac395c0e51e3468daff2b5d25eb6d5fd7e584b44efe"),
)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch_remote(url, path, sha256, timeout=60):
    """Download ``url`` to ``path`` through a temporary file, checking its sha256.

    Nothing is left at ``path`` when the download fails or the checksum differs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as tmp:
        tmp_path = Path(tmp.name)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                shutil.copyfileobj(response, tmp)
        except BaseException:
            tmp.close()
            tmp_path.unlink(missing_ok=True)
            raise
    actual = _sha256(tmp_path)
    if actual != sha256:
        tmp_path.unlink(missing_ok=True)
        raise OSError(
            f"{url} has sha256 {actual}, expected {sha256}: the download is corrupted or "
            "the remote file changed. Nothing was written."
        )
    tmp_path.replace(path)
    return path


@validate_params(
    {
        "data_home": [str, Path, None],
        "download_if_missing": ["boolean"],
        "return_X_y": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def fetch_cmu_actions(data_home=None, *, download_if_missing=True, return_X_y=False):
    """Load the CMU action recordings, downloading the missing files first.

    Files go to ``<data_home>/cmu_mocap/actions/<action>/<action>_<i>.txt``
    (the layout :func:`load_cmu_actions` reads), fetched one by one from
    ``CMU_ACTIONS_BASE_URL`` and checked against their sha256 in
    ``CMU_ACTIONS_FILES``. Files already present are not downloaded again
    (nor re-checked).

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data home, the folder holding ``cmu_mocap/`` (created if
        missing), as for :func:`load_cmu_actions`. None means the
        ``SKSEQ2SEQ_DATA`` environment variable if set, else
        ``~/skseq2seq_data`` (see :func:`get_data_home`).
    download_if_missing : bool, default=True
        When False, raise :class:`OSError` instead of downloading missing files.
    return_X_y : bool, default=False
        Return ``(recordings, target)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        As :func:`load_cmu_actions`.

    Raises
    ------
    OSError
        A file is missing and ``download_if_missing`` is False, or a
        downloaded file fails its checksum.

    Examples
    --------
    >>> from skseq2seq.datasets import fetch_cmu_actions
    >>> data = fetch_cmu_actions()  # doctest: +SKIP
    >>> len(data.target_names)  # doctest: +SKIP
    7
    """
    data_home = get_data_home(data_home)
    folder = data_home / "cmu_mocap" / "actions"
    for relative, sha256 in CMU_ACTIONS_FILES:
        path = folder / relative
        if path.exists():
            continue
        if not download_if_missing:
            raise OSError(f"{path} is missing and download_if_missing is False.")
        _fetch_remote(CMU_ACTIONS_BASE_URL + relative, path, sha256)
    return load_cmu_actions(data_home, return_X_y=return_X_y)
