"""The motion files' preprocessing: the library's default pipeline, set by the options.

The commands run :func:`skseq2seq.preprocessing.make_motion_preprocessor`
with its own defaults, so the command line and the library prepare motion
files the same way; an option sets one of its parameters, and a saved
model keeps the ones it was trained with.
"""

import inspect

from ..preprocessing import make_motion_preprocessor

# option (argparse destination) -> make_motion_preprocessor's parameter
PARAMETERS = {
    "keep_root": "keep_root",
    "joints": "joints",
    "fps_to": "fps",
    "representation": "representation",
    "unit": "unit",
}


def _flag(option):
    return "--" + option.replace("_", "-")


def _shown(value):
    if value is True:  # a flag without a value
        return ""
    return " " + " ".join(map(str, value)) if isinstance(value, (list, tuple)) else f" {value}"


def settings(args, stored=None):
    """make_motion_preprocessor's parameters, all of them: ``stored`` (a saved model's) or the
    defaults, with the options given; raises for a bad value or one that contradicts ``stored``.
    """
    given = {
        option: getattr(args, option)
        for option in PARAMETERS
        if getattr(args, option, None) is not None
    }
    for option, value in given.items():
        param = PARAMETERS[option]
        if stored is not None and _comparable(value) != _comparable(stored.get(param)):
            kept = stored.get(param)
            raise ValueError(
                f"{_flag(option)}{_shown(value)}: the saved model was trained with "
                f"{param}={kept!r} (make_motion_preprocessor's); leave {_flag(option)} out "
                "to use it, or train without --model"
            )
        try:  # the library checks its parameters: one truth for what is valid
            make_motion_preprocessor(**{param: value})
        except ValueError as exc:
            raise ValueError(f"{_flag(option)}{_shown(value)}: {exc}") from None
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(make_motion_preprocessor).parameters.items()
    }
    chosen = {PARAMETERS[option]: value for option, value in given.items()}
    return {**defaults, **(stored or {}), **chosen}


def _comparable(value):
    return list(value) if isinstance(value, (list, tuple)) else value
