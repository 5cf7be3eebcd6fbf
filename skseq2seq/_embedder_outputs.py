"""The transform-like methods of a fitted Seq2SeqEmbedder, on the net's one inference engine."""

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted

from ._net import PreparedBatches
from ._validation import check_sequences

__all__ = ["EmbedderOutputsMixin"]


class EmbedderOutputsMixin:
    """``inference``, ``transform``, ``transform_states``, ``forecast``, ``score_samples``, ...

    Every output of a fitted :class:`~skseq2seq.Seq2SeqEmbedder`: the
    sequences are checked, prepared a batch at a time by its scaler
    (``_scaling``, a ``SequenceScaler``) and run through the net's one
    inference engine (``net_.infer_sequences``).
    """

    def inference(self, X, *, embedding=False, states=False, frames=False, errors=False):
        """Run the net once over X and return the outputs asked for.

        The single batched forward pass behind :meth:`transform`,
        :meth:`transform_states`, :meth:`forecast` and :meth:`score_samples`,
        for callers that need several of them at once.

        Sequences are run in batches of equal length and a fixed number of
        rows (padded with zeros): matrix kernels choose their blocking by the
        batch's shape, so any other batching would make a sequence's results
        change (at 1e-7) with the other sequences around it. Each result
        depends on its own sequence only.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.
        embedding, states, frames, errors : bool, default=False
            Which outputs to return (see below).

        Returns
        -------
        outputs : :class:`~sklearn.utils.Bunch`
            With the keys asked for:

            - ``embedding``: ndarray of shape (n_samples, n_embedding), float32,
              as :meth:`transform` returns;
            - ``states``: ndarray of shape (n_samples, n_steps, hidden_size),
              float32, as :meth:`transform_states` returns;
            - ``frames``: ndarray of shape (n_samples, n_steps, n_kept), the
              predicted frames of the channels in ``features_kept_``, in
              standardised units (:meth:`forecast` maps them back to X's);
            - ``errors``: ndarray of shape (n_samples, n_steps), the squared
              prediction error of each step averaged over channels, in
              standardised units.

            Steps past a sequence's end are NaN.

        Examples
        --------
        >>> from skseq2seq import Seq2SeqEmbedder
        >>> from skseq2seq.datasets import make_motion_sequences
        >>> X, _ = make_motion_sequences(n_sequences=20, n_timesteps=12, random_state=0)
        >>> embedder = Seq2SeqEmbedder(hidden_size=8, max_epochs=1, random_state=0).fit(X)
        >>> out = embedder.inference(X, embedding=True, errors=True)
        >>> out.embedding.shape, out.errors.shape
        ((20, 8), (20, 6))
        """
        check_is_fitted(self, "module_")
        if (frames or errors) and self.objective == "contrastive":
            raise ValueError(
                "objective='contrastive' trains no decoder: there are no predicted frames or "
                "prediction errors (forecast, score_samples); use transform."
            )
        min_length = 2 if self.prediction_length_ is None else self.prediction_length_ + 1
        data, lengths = check_sequences(X, min_length=min_length, n_features=self.n_features_in_)
        # Prepared a batch at a time: memory bounded by the batch, not by X.
        dataset = PreparedBatches(data, torch.from_numpy(lengths), self._scaling.transform_for_net)
        outputs = {"states": states, "frames": frames, "errors": errors}
        return self._infer(dataset, embedding=embedding, **outputs)

    def _infer(self, dataset, embedding=False, **outputs):
        """The net's inference on prepared inputs, with this embedder's embedding choice."""
        return self.net_.infer_sequences(
            dataset,
            embedding=self.embedding if embedding else None,
            pooling=self.pooling,
            n_steps=self.prediction_length_,
            **outputs,
        )

    def transform(self, X):
        """Embed sequences.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences to embed.

        Returns
        -------
        embedding : ndarray of shape (n_samples, n_embedding), dtype float32
            Pooled decoder states, encoder state, or both (see ``embedding``).
        """
        return self.inference(X, embedding=True).embedding

    def transform_iter(self, chunks):
        """Embed an iterable of sequence chunks lazily, one chunk at a time.

        For collections that do not fit in memory: feed slices of a
        ``numpy.memmap``, files read one by one, or the blocks of a dask array;
        only one chunk and its embedding are held at a time. Concatenating the
        results equals ``transform`` of the concatenated chunks.

        Parameters
        ----------
        chunks : iterable of array-like
            Each item is anything :meth:`transform` accepts.

        Yields
        ------
        embedding : ndarray of shape (n_chunk_samples, n_embedding), dtype float32
            The embedding of each chunk, in order.
        """
        for chunk in chunks:
            yield self.transform(chunk)

    def transform_states(self, X):
        """Decoder hidden states, one per decoded step: the interpretable embedding.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences to embed.

        Returns
        -------
        states : ndarray of shape (n_samples, n_steps, hidden_size), dtype float32
            ``n_steps`` is ``prediction_length_`` (predict) or the longest
            sequence (reconstruct); steps past a sequence's end are NaN.
        """
        return self.inference(X, states=True).states

    def forecast(self, X):
        """The decoder's predicted frames, in the units of ``X``.

        For ``objective="predict"``, the encoder reads each sequence but its
        last ``prediction_length_`` steps and this returns its prediction of
        those steps (compare with ``X[:, -prediction_length_:]``). For
        ``"reconstruct"``, the reconstruction of the whole sequence.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        frames : ndarray of shape (n_samples, n_steps, n_features)
            Predicted frames; constant channels hold their constant; steps
            past a sequence's end are NaN.
        """
        return self._scaling.inverse_transform(self.inference(X, frames=True).frames)

    def net_inputs(self, X):
        """The net's input channels for X, standardised as the net sees them.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        inputs : ndarray of shape (n_samples, n_timesteps, n_kept), dtype float64
            The channels in ``features_kept_`` (with ``with_velocity``, the
            frames' then their differences'), standardised with ``scaler_``;
            steps past a sequence's end are NaN.

        Examples
        --------
        >>> import numpy as np
        >>> from skseq2seq import Seq2SeqEmbedder
        >>> X = np.random.default_rng(0).normal(size=(10, 8, 2))
        >>> embedder = Seq2SeqEmbedder(hidden_size=4, max_epochs=1, random_state=0).fit(X)
        >>> inputs = embedder.net_inputs(X)
        >>> inputs.shape, bool(abs(inputs.mean()) < 1e-9)
        ((10, 8, 2), True)
        """
        check_is_fitted(self, "features_kept_")
        data, lengths = check_sequences(X, min_length=1, n_features=self.n_features_in_)
        return self._scaling.transform(data, lengths)

    def score_samples(self, X):
        """Negative mean squared prediction error of each sequence.

        Errors are in standardised units; higher means the sequence's dynamics
        are better explained by the model (a novelty score). A low score flags
        motion that is hard to predict, not motion unlike the training data:
        a slow, novel movement is easy to continue and scores as normal (see
        the user guide).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or \
                (n_samples, n_timesteps), or list of (T_i, n_features) arrays
            Sequences.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        return -np.nanmean(self.inference(X, errors=True).errors, axis=1)
