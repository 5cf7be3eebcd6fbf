"""The skorch net Seq2SeqEmbedder trains: its parameters' checks and its construction."""

import inspect
import os

import torch
from skorch.callbacks import Callback, GradientNormClipping, ProgressBar
from skorch.dataset import ValidSplit

from ._contrastive import ContrastiveModule, NTXentLoss
from ._net import AcceleratedSeq2SeqNet, NonFiniteLossStop, Seq2SeqNet
from ._network import MaskedMSELoss, Seq2SeqModule

__all__ = [
    "NET_PARAM_PREFIXES",
    "ForwardedNetParamsMixin",
    "check_callbacks",
    "check_net_param_names",
    "check_network_size",
    "check_validation_monitors",
    "make_net",
]

# Prefixes of the skorch parameters Seq2SeqEmbedder forwards to its net.
NET_PARAM_PREFIXES = ("module__", "optimizer__", "iterator_train__", "callbacks__")


def check_callbacks(callbacks):
    """skorch callbacks: instances or classes of Callback, optionally named (name, callback)."""
    for i, item in enumerate(callbacks or []):
        callback = (
            item[1]
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
            else item
        )
        is_callback = isinstance(callback, Callback) or (
            isinstance(callback, type) and issubclass(callback, Callback)
        )
        if not is_callback:
            raise TypeError(
                f"callbacks[{i}] is {callback!r:.80}; expected a skorch Callback (instance or "
                "class), or a (name, callback) tuple."
            )


def check_validation_monitors(callbacks, net_params, validation_fraction):
    """Callbacks that monitor a validation score need a validation split, known before training.

    skorch's EarlyStopping (``monitor="valid_loss"``), Checkpoint, LRScheduler
    on a ``valid_*`` key would otherwise fail after the first epoch, when the
    history has no such key.
    """
    if validation_fraction is not None:
        return
    monitors = [(key, value) for key, value in net_params.items() if key.endswith("__monitor")]
    for i, item in enumerate(callbacks or []):
        callback = item[1] if isinstance(item, tuple) and len(item) == 2 else item
        if isinstance(callback, type):  # a class: its default monitor
            default = inspect.signature(callback).parameters.get("monitor")
            monitor = None if default is None else default.default
        else:
            monitor = getattr(callback, "monitor", None)
        monitors.append((f"callbacks[{i}] ({type(callback).__name__})", monitor))
    for where, monitor in monitors:
        if isinstance(monitor, str) and monitor.startswith("valid_"):
            raise ValueError(
                f"{where} monitors {monitor!r}, a validation score, but validation_fraction is "
                "None: no sequences are held out, so the history has no validation scores. Set "
                "validation_fraction (e.g. 0.2) or monitor a training score ('train_loss')."
            )


def check_network_size(hidden_size, num_layers, n_channels, bidirectional):
    """Refuse, before torch allocates anything, a net that cannot fit in this machine's memory.

    A GRU layer holds ``3 * (h * (inputs + h) + 2 * h)`` weights; training
    keeps four float32 copies of each (weights, gradients, Adam's two
    moments). An absurd ``hidden_size`` would otherwise fail inside torch.
    """
    h = hidden_size
    directions = 2 if bidirectional else 1
    per_layer = 3 * (h * (max(n_channels, directions * h) + h) + 2 * h)
    n_weights = (directions + 1) * num_layers * per_layer + (h + 1) * n_channels
    needed = 16 * n_weights  # bytes: four float32 copies
    try:
        available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: a generous 1 TiB
        available = 2**40
    if needed > available:
        raise ValueError(
            f"hidden_size={hidden_size} with num_layers={num_layers} makes a net of about "
            f"{n_weights:.3g} weights, {needed / 2**30:.3g} GiB to train, more than this "
            f"machine's memory ({available / 2**30:.3g} GiB); use a smaller hidden_size "
            "(16 to 512 are usual)."
        )


def check_net_param_names(params):
    """Forwarded skorch parameters carry a prefix the embedder passes on."""
    unknown = sorted(key for key in params if not key.startswith(NET_PARAM_PREFIXES))
    if unknown:
        raise ValueError(
            f"Invalid parameter: Seq2SeqEmbedder got an unexpected parameter {unknown[0]!r}; "
            "besides its own "
            f"parameters it takes skorch parameters starting with {NET_PARAM_PREFIXES}."
        )


class ForwardedNetParamsMixin:
    """Parameters forwarded to the net (``module__<name>``, ...) as estimator parameters.

    ``__init__`` stores them with ``vars(self).update(kwargs)``; they are then
    parameters like the others (``get_params``, ``set_params``, ``clone``,
    grid searches).
    """

    def get_params(self, deep=True):
        """Get parameters, the forwarded skorch ones (``optimizer__<name>``, ...) included.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        params.update(self._net_params())
        return params

    def set_params(self, **params):
        """Set parameters, the forwarded skorch ones (``optimizer__<name>``, ...) included.

        Parameters
        ----------
        **params : dict
            Parameter names mapped to their new values.

        Returns
        -------
        self : Seq2SeqEmbedder
        """
        # Before sklearn's set_params, which would read module__<name> as a
        # parameter of a nested estimator "module".
        own = set(self._get_param_names())
        forwarded = {key: params.pop(key) for key in list(params) if key not in own}
        # Refused now, as scikit-learn refuses unknown names, not at the next fit; but
        # "kwargs", the name of __init__'s **kwargs that scikit-learn's common checks set,
        # is left to fit, as __init__ leaves every name.
        check_net_param_names({key: v for key, v in forwarded.items() if key != "kwargs"})
        vars(self).update(forwarded)
        return super().set_params(**params)

    def _net_params(self):
        """The keyword parameters beyond the signature's (fitted attributes end with "_")."""
        own = set(self._get_param_names())
        return {
            key: value
            for key, value in vars(self).items()
            if key not in own and not key.endswith("_") and not key.startswith("_")
        }


def make_net(embedder, n_channels, device, params, net_params, prediction_length, split_seed=None):
    """The skorch net that trains ``embedder``'s module, configured from its parameters.

    ``params``: the embedder's parameters (numpy scalars cast);
    ``net_params``: its forwarded skorch parameters (``optimizer__<name>``,
    ...), passed on; those it sets itself are refused.
    """
    module_args = {
        "n_features": n_channels,
        "hidden_size": params["hidden_size"],
        "num_layers": params["num_layers"],
        "objective": params["objective"],
        "prediction_length": prediction_length,
        "decoder_input": params["decoder_input"],
        "decoder_strategy": params["decoder_strategy"],
        "bidirectional_encoder": params["bidirectional_encoder"],
    }
    own = {f"module__{name}": name for name in module_args}
    own.update({"optimizer__lr": "lr", "iterator_train__batch_size": "batch_size"})
    clashes = sorted(set(net_params) & set(own))
    if clashes:
        raise ValueError(
            f"{clashes[0]} is set by the embedder: use its parameter "
            f"{own[clashes[0]]!r} instead"
            + (
                " (the number of channels comes from X)."
                if clashes[0] == "module__n_features"
                else "."
            )
        )
    callbacks = list(params["callbacks"] or [])
    callbacks.append(
        (
            "stop_on_non_finite_loss",
            NonFiniteLossStop(
                advice="use standardize=True or a lower lr"
                if not params["standardize"]
                else f"try a lower lr (lr={params['lr']:g})"
            ),
        )
    )
    if params["gradient_clipping"] is not None:
        callbacks.append(("clip", GradientNormClipping(params["gradient_clipping"])))
    if params["verbose"]:
        callbacks.append(("progress", ProgressBar()))
    net_class, placement = (
        Seq2SeqNet,
        {
            "device": str(device),
            "mixed_precision": params["mixed_precision"],
        },
    )
    if params["accelerate"]:  # the accelerator places the net and casts
        from accelerate import Accelerator

        net_class, placement = (
            AcceleratedSeq2SeqNet,
            {
                "device": None,
                "accelerator": Accelerator(
                    cpu=params["device"] == "cpu" or device.type == "cpu",
                    mixed_precision=("fp16" if device.type == "cuda" else "bf16")
                    if params["mixed_precision"]
                    else "no",
                ),
            },
        )
    module, criterion = params["module"], MaskedMSELoss
    if params["objective"] == "contrastive":
        criterion = NTXentLoss
        module = ContrastiveModule if module is Seq2SeqModule else module
    return net_class(
        module=module,
        **{f"module__{name}": value for name, value in module_args.items()},
        criterion=criterion,
        optimizer=torch.optim.Adam,
        lr=params["lr"],
        max_epochs=params["max_epochs"],
        batch_size=params["batch_size"],
        # Unsupervised: all data trains, unless a fraction is held out to
        # record valid_loss (for EarlyStopping, Checkpoint).
        train_split=None
        if params["validation_fraction"] is None
        else ValidSplit(params["validation_fraction"], random_state=split_seed),
        callbacks=callbacks,
        verbose=int(params["verbose"]),
        embedder=embedder,  # callbacks may embed monitor data mid-training
        **placement,
        **net_params,
    )
