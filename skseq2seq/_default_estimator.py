"""Parameters of a sub-estimator whose ``None`` stands for a default instance."""

from ._persistence import VersionedPickleMixin


# Its users (Seq2SeqClusterer, TemporalSegmenter) hold trained torch nets:
# their pickles record versions too (VersionedPickleMixin).
class DefaultSubEstimatorMixin(VersionedPickleMixin):
    """``get_params``/``set_params`` that see through a ``None`` sub-estimator.

    A parameter such as ``embedder=None`` means "a default instance, built in
    ``fit``". Grid searches still need ``embedder__<name>``: with ``deep=True``
    the default instance's parameters are listed under that prefix, and
    setting one of them on ``None`` first replaces ``None`` by the default
    instance, then sets the parameter on it.

    Subclasses define ``_default_subestimators``: a dict from the parameter's
    name to a function returning a fresh default instance.
    """

    _default_subestimators = {}

    def get_params(self, deep=True):
        """Get parameters; with ``deep=True``, a ``None`` sub-estimator's defaults too.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of sub-estimators (as
            ``<parameter>__<name>``), those of the default instance for a
            sub-estimator left at None.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=deep)
        if deep:
            for name, make_default in self._default_subestimators.items():
                if getattr(self, name) is None:
                    for key, value in make_default().get_params(deep=True).items():
                        params[f"{name}__{key}"] = value
        return params

    def set_params(self, **params):
        """Set parameters; ``<parameter>__<name>`` on a ``None`` sub-estimator sets the default's.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        for name, make_default in self._default_subestimators.items():
            prefix = f"{name}__"
            if (
                getattr(self, name) is None
                and name not in params
                and any(key.startswith(prefix) for key in params)
            ):
                setattr(self, name, make_default())
        return super().set_params(**params)
