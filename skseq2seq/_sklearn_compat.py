"""scikit-learn's private helpers that the estimators use, imported here only.

Parameter validation (``Interval``, ``StrOptions``, ``HasMethods``,
``RealNotInt``, ``validate_params``) and ``fit_context`` (sklearn's
``_fit_context``: validates the parameters once per ``fit``) are private in
scikit-learn and may move between releases. pyproject.toml bounds the
releases tested; when one moves them, this module is the one place to adapt.
"""

from sklearn.base import _fit_context as fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)

__all__ = ["HasMethods", "Interval", "RealNotInt", "StrOptions", "fit_context", "validate_params"]
