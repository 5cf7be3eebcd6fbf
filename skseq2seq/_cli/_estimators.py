"""The estimators the commands train: the library's defaults, overridden by the options given.

One table maps each command-line option to the estimator parameter it sets;
an option left out leaves the library's default (``Seq2SeqClusterer()``,
``TemporalSegmenter()`` and their default embedders, ``Seq2SeqForecaster()``).
"""

# option (argparse destination) -> estimator parameter
PARAMETERS = {
    "n_clusters": "n_clusters",
    "max_clusters": "max_clusters",
    "min_action_seconds": "min_action_seconds",
    "n_nets": "n_nets",
    "split_windows": "split_windows",
    "features": "features",
    "memory": "memory",
}
# option -> parameter of the net: the embedder's (``embedder__``) in the
# estimators built on one, the estimator's own in the others (the forecaster)
NET_PARAMETERS = {"epochs": "max_epochs", "hidden_size": "hidden_size", "device": "device"}


def build(estimator_class, args, progress, **from_data):
    """``estimator_class()`` with ``from_data`` and the options the user passed set on it.

    ``from_data`` are settings the inputs dictate (the frame rate, the number
    of labels); the seed is ``--random-state``. Progress reaches ``progress``
    through a callback of the net.
    """
    estimator = estimator_class()
    net = "embedder__" if "embedder" in estimator.get_params(deep=False) else ""
    table = {**PARAMETERS, **{option: net + name for option, name in NET_PARAMETERS.items()}}
    params = {
        parameter: getattr(args, option)
        for option, parameter in table.items()
        if getattr(args, option, None) is not None
    }
    params.update(from_data, random_state=args.random_state)
    params[net + "callbacks"] = progress.callbacks()
    if args.verbose:
        params[net + "verbose"] = 1
    return estimator.set_params(**params)


def _given(args, options):
    """The options among ``options`` (argparse destinations) the user passed, as typed."""
    return [
        "--" + option.replace("_", "-")
        for option in options
        if getattr(args, option, None) is not None
    ]


def reject_training_options(args):
    """Raise when options that only shape training come with ``--model``."""
    given = _given(args, (*PARAMETERS, *NET_PARAMETERS))
    if given:
        raise ValueError(
            f"--model {args.model}: a saved model is not trained again, so {', '.join(given)} "
            "cannot apply; leave them out, or train without --model"
        )


def reject_net_options(args, features):
    """Raise when options that shape the nets come with ``features`` that train none.

    ``features`` is the option's value or, left out, the estimator's default
    (``TemporalSegmenter``'s default, the frames alone, trains no net).
    """
    given = _given(args, (*NET_PARAMETERS, "n_nets", "split_windows"))
    if given:
        raise ValueError(
            f"features={features!r} trains no net, so {', '.join(given)} cannot apply; pass "
            "--features with the states (e.g. --features states+frames), or leave them out"
        )
