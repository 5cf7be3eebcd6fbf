"""Mutation-based property tests of the readers over real files (hypothesis).

Files in users' formats (``../shared/data/formats``: BVH, ASF/AMC, cut to a
few frames; skipped when absent) and CSV/NPY files written here are mutated
as files get damaged or re-saved by other tools: truncated, lines dropped or
duplicated, numbers replaced by ``nan``/``inf``/huge/negative/empty, a
byte-order mark, CRLF line ends, tabs, unicode names. Whatever the mutation,
every reader and :func:`~skseq2seq.io.load_folder` either raises a clear
error (a ValueError or OSError naming the file) or returns finite data of
the documented shape. Bounded examples keep it to a few seconds; the full
files run in the ``slow`` tests.
"""

import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skseq2seq.datasets import load_action_recordings
from skseq2seq.datasets._cmu import _read_expmap
from skseq2seq.io import load_folder, read_amc, read_bvh, read_motion

_FAST = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?(?![\w.])")
_REPLACEMENTS = ["nan", "inf", "-inf", "NaN", "1e999", "1e308", "-1e308", "-7", "-0", "0", ""]
_NAMES = ["Hüfte", "骨盤", "naïve bone", "ルート"]


# -- mutations of a text -------------------------------------------------------------------


def _lines(text):
    return text.split("\n")


def truncate(text, at):
    return text[: at % (len(text) + 1)]


def drop_line(text, i):
    lines = _lines(text)
    del lines[i % len(lines)]
    return "\n".join(lines)


def duplicate_line(text, i):
    lines = _lines(text)
    i %= len(lines)
    return "\n".join(lines[: i + 1] + lines[i:])


def replace_number(text, i, replacement):
    matches = list(_NUMBER.finditer(text))
    if not matches:
        return text
    m = matches[i % len(matches)]
    return text[: m.start()] + replacement + text[m.end() :]


def add_bom(text, _):
    return "\ufeff" + text


def crlf(text, _):
    return text.replace("\n", "\r\n")


def tabs(text, i):
    lines = _lines(text)
    i %= len(lines)
    lines[i] = lines[i].replace(" ", "\t").replace(",", "\t")
    return "\n".join(lines)


def unicode_name(text, i):
    """A name (joint, bone, channel header) replaced by a non-ASCII one."""
    words = sorted(set(re.findall(r"\b[A-Za-z][A-Za-z_]*\d*\b", text)))
    if not words:
        return text
    word = words[i % len(words)]
    return re.sub(rf"\b{re.escape(word)}\b", _NAMES[i % len(_NAMES)], text)


_MUTATIONS = st.one_of(
    st.tuples(st.just(truncate), st.integers(0, 10**6)),
    st.tuples(st.just(drop_line), st.integers(0, 10**4)),
    st.tuples(st.just(duplicate_line), st.integers(0, 10**4)),
    st.tuples(
        st.just(replace_number),
        st.integers(0, 10**4),
        st.sampled_from(_REPLACEMENTS),
    ),
    st.tuples(st.just(add_bom), st.just(0)),
    st.tuples(st.just(crlf), st.just(0)),
    st.tuples(st.just(tabs), st.integers(0, 10**4)),
    st.tuples(st.just(unicode_name), st.integers(0, 10**4)),
)


def mutate(text, mutations):
    for mutation, *args in mutations:
        text = mutation(text, *args)
    return text


# -- the contract ----------------------------------------------------------------------------


def _check_recording(recording):
    """Finite float64 data of shape (n_frames >= 1, n_channels >= 1), named channels, a rate."""
    data = recording.data
    assert isinstance(data, np.ndarray) and data.dtype == np.float64 and data.ndim == 2
    assert data.shape[0] >= 1 and data.shape[1] >= 1
    assert np.isfinite(data).all()
    assert len(recording.channel_names) == data.shape[1]
    assert recording.fps is None or (np.isfinite(recording.fps) and recording.fps > 0)


def _check_contract(read, *paths):
    """``read()`` returns a finite recording, or raises a ValueError/OSError naming a file."""
    try:
        result = read()
    except (ValueError, OSError) as exc:
        message = str(exc)
        assert any(p.name in message for p in paths), f"the error names no file: {message}"
        return None
    if hasattr(result, "recordings"):  # load_folder
        assert len(result.recordings) == len(result.filenames) == len(result.target)
        widths = {r.shape[1] for r in result.recordings}
        assert len(widths) == 1
        for data in result.recordings:
            assert data.dtype == np.float64 and data.ndim == 2 and len(data)
            assert np.isfinite(data).all()
    else:
        _check_recording(result)
    return result


# -- seed files ------------------------------------------------------------------------------


def _cut_bvh(text, n_frames):
    head, _, body = text.partition("MOTION")
    lines = [line for line in body.splitlines() if line.strip()]
    frames = lines[2 : 2 + n_frames]
    return f"{head}MOTION\nFrames: {len(frames)}\n{lines[1]}\n" + "\n".join(frames) + "\n"


def _cut_amc(text, n_frames):
    out, frame = [], 0
    for line in text.splitlines():
        if line.strip().isdigit():
            frame += 1
            if frame > n_frames:
                break
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def real_files(formats_dir):
    """Short cuts of the real BVH and ASF/AMC files (skipped without ../shared/data)."""
    folder = formats_dir
    return {
        "bvh": _cut_bvh((folder / "131_01.bvh").read_text(), 4),
        "asf": (folder / "12.asf").read_text(),
        "amc": _cut_amc((folder / "02_01.amc").read_text(), 3),
    }


_CSV = "hip,knee,ankle\n0.1,0.5,-1.25\n0.2,0.4,-1.5\n0.3,0.2,3e-4\n0.4,0.1,1E2\n"
_CSV_BARE = "0.1 0.5 -1.25\n0.2 0.4 -1.5\n0.3 0.2 0.0003\n"


def _write(folder, name, text):
    path = Path(folder) / name
    path.write_bytes(text.encode("utf-8"))
    return path


# -- properties ------------------------------------------------------------------------------


@_FAST
@given(
    mutations=st.lists(_MUTATIONS, min_size=1, max_size=3),
    source=st.sampled_from([_CSV, _CSV_BARE]),
)
def test_mutated_tables(mutations, source):
    with tempfile.TemporaryDirectory() as folder:
        for name in ("walk.csv", "Schritt_ü.txt"):
            path = _write(folder, name, mutate(source, mutations))
            _check_contract(lambda path=path: read_motion(path, fps=30), path)


@_FAST
@given(mutations=st.lists(_MUTATIONS, min_size=1, max_size=3))
def test_mutated_bvh(real_files, mutations):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "131_01.bvh", mutate(real_files["bvh"], mutations))
        recording = _check_contract(lambda: read_bvh(path), path)
        if recording is not None:
            assert len(recording.metadata["joints"]) == len(recording.metadata["offsets"])
            assert np.isfinite(recording.metadata["offsets"]).all()


@_FAST
@given(
    mutations=st.lists(_MUTATIONS, min_size=1, max_size=3),
    target=st.sampled_from(["asf", "amc"]),
)
def test_mutated_asf_amc(real_files, mutations, target):
    with tempfile.TemporaryDirectory() as folder:
        texts = dict(real_files)
        texts[target] = mutate(texts[target], mutations)
        asf = _write(folder, "02.asf", texts["asf"])
        amc = _write(folder, "02_01.amc", texts["amc"])
        recording = _check_contract(lambda: read_amc(amc, asf), amc, asf)
        if recording is not None:
            assert recording.data.shape[1] == len(recording.channel_names)
            assert len(recording.metadata["frame_numbers"]) == len(recording.data)


_ARRAYS = st.sampled_from(
    [
        np.arange(12.0).reshape(6, 2),
        np.arange(5.0),
        np.array([[1.0, np.nan]]),
        np.array([[np.inf, 1.0]]),
        np.array([[1e308, -1e308]]),
        np.zeros((0, 3)),
        np.zeros((3, 0)),
        np.zeros((2, 2, 2)),
        np.ones((2, 2), dtype=complex),
        np.ones((3, 2), dtype=bool),
        np.arange(6, dtype=np.int8).reshape(3, 2),
        np.array(4.0),
        np.array(["a", "b"]),
    ]
)


@_FAST
@given(array=_ARRAYS, cut=st.integers(0, 400), flip=st.integers(0, 400), npz=st.booleans())
def test_mutated_npy(array, cut, flip, npz):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pose_ü.npy"
        if npz:
            np.savez(path.with_suffix(".npz"), a=array)
            path.with_suffix(".npz").rename(path)
        else:
            np.save(path, array)
        blob = bytearray(path.read_bytes())
        if cut % 3 == 0:  # truncated
            blob = blob[: cut % (len(blob) + 1)]
        if flip % 4 == 0 and blob:  # a damaged byte
            blob[flip % len(blob)] ^= 0x5A
        path.write_bytes(bytes(blob))
        _check_contract(lambda: read_motion(path), path)


@_FAST
@given(
    mutations=st.lists(_MUTATIONS, min_size=1, max_size=2),
    kind=st.sampled_from(["csv", "npy", "bvh"]),
)
def test_mutated_folder(real_files, mutations, kind):
    """load_folder over a tree holding one damaged file among good ones."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "walk").mkdir()
        (root / "läufe").mkdir()
        if kind == "bvh":
            _write(root / "walk", "a.bvh", real_files["bvh"])
            bad = _write(root / "läufe", "b.bvh", mutate(real_files["bvh"], mutations))
        else:
            _write(root / "walk", "a.csv", _CSV_BARE)
            if kind == "csv":
                bad = _write(root / "läufe", "b.csv", mutate(_CSV_BARE, mutations))
            else:
                bad = root / "läufe" / "b.npy"
                text = mutate(_CSV_BARE, mutations)
                rows = [r.split() for r in text.splitlines() if r.strip()]
                try:
                    np.save(bad, np.array(rows, dtype=np.float64))
                except ValueError:  # ragged or not numbers: save the text as a damaged .npy
                    bad.write_bytes(text.encode("utf-8"))
        data = _check_contract(lambda: load_folder(root, fps=30), bad)
        if data is not None:
            assert data.target_names.tolist() == sorted(["läufe", "walk"])


@_FAST
@given(mutations=st.lists(_MUTATIONS, min_size=1, max_size=3))
def test_mutated_action_recordings(mutations):
    """The CMU action layout (``<action>/<action>_<i>.txt``) with one damaged recording."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for action in ("walk", "jump"):
            (root / action).mkdir()
        _write(root / "walk", "walk_1.txt", _CSV_BARE.replace(" ", ","))
        bad = _write(root / "jump", "jump_1.txt", mutate(_CSV_BARE.replace(" ", ","), mutations))
        try:
            data = load_action_recordings(root)
        except (ValueError, OSError) as exc:
            assert bad.name in str(exc)
            return
        for recording in data.recordings:
            assert recording.dtype == np.float64 and recording.ndim == 2 and len(recording)
            assert np.isfinite(recording).all()


@_FAST
@given(
    cut=st.integers(0, 10**4),
    flip=st.integers(0, 10**4),
    value=st.sampled_from([0.5, np.nan, np.inf]),
)
def test_mutated_mat(cut, flip, value):
    """A subject-86 ``.mat`` file, truncated, with a damaged byte, or holding NaN/inf."""
    from scipy.io import savemat

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "01.mat"
        savemat(path, {"expmapchannels": np.full((4, 96), value)}, do_compression=cut % 2 == 0)
        blob = bytearray(path.read_bytes())
        if cut % 3 == 0:
            blob = blob[: cut % (len(blob) + 1)]
        if flip % 3 == 0 and blob:
            blob[flip % len(blob)] ^= 0x5A
        path.write_bytes(bytes(blob))
        try:
            X = _read_expmap(path)
        except (ValueError, OSError) as exc:
            assert path.name in str(exc)
            return
        assert X.shape == (4, 96) and np.isfinite(X).all()


# -- the full real files ------------------------------------------------------------------------


@pytest.mark.slow
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutations=st.lists(_MUTATIONS, min_size=1, max_size=3),
    name=st.sampled_from(["131_01.bvh", "131_02.bvh", "02_01.amc"]),
)
def test_mutated_full_real_files(formats_dir, mutations, name):
    source = formats_dir
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(source / "12.asf", Path(folder) / "02.asf")
        path = _write(folder, name, mutate((source / name).read_text(), mutations))
        _check_contract(lambda: read_motion(path), path, Path(folder) / "02.asf")
