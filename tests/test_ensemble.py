"""Tests of WideSeq2SeqModule: several nets computed side by side."""

import numpy as np
import pytest
import torch

from skseq2seq._ensemble import WideSeq2SeqModule
from skseq2seq._network import Seq2SeqModule


def test_each_net_is_its_seeds_net():
    X, lengths = torch.randn(5, 12, 3), torch.full((5,), 12)
    wide = WideSeq2SeqModule(3, hidden_size=8, prediction_length=4, seeds=(3, 7))
    output, target, mask, states, code = wide(X, lengths)
    assert output.shape == target.shape == (5, 4, 6) and states.shape == (5, 4, 16)
    assert code.shape == (5, 16) and bool(mask.all())
    for i, seed in enumerate((3, 7)):
        torch.manual_seed(seed)
        net = Seq2SeqModule(3, hidden_size=8, prediction_length=4)
        alone = net(X, lengths)
        torch.testing.assert_close(output[..., 3 * i : 3 * (i + 1)], alone[0])
        torch.testing.assert_close(target[..., 3 * i : 3 * (i + 1)], alone[1])
        torch.testing.assert_close(states[..., 8 * i : 8 * (i + 1)], alone[3])
        torch.testing.assert_close(code[:, 8 * i : 8 * (i + 1)], alone[4])


def test_one_backward_trains_every_net():
    wide = WideSeq2SeqModule(3, hidden_size=4, prediction_length=2, seeds=(0, 1, 2))
    output, target, *_ = wide(torch.randn(4, 6, 3), torch.full((4,), 6))
    torch.nn.functional.mse_loss(output, target).backward()
    grads = wide.decoder_weight_hh.grad
    assert all(float(grads[i].abs().sum()) > 0 for i in range(3))


def test_unsupported_nets_and_ragged_batches_raise():
    with pytest.raises(ValueError, match="one-layer predict nets"):
        WideSeq2SeqModule(3, num_layers=2)
    with pytest.raises(ValueError, match="one-layer predict nets"):
        WideSeq2SeqModule(3, decoder_input="teacher")
    wide = WideSeq2SeqModule(3, hidden_size=4, prediction_length=2)
    with pytest.raises(ValueError, match="equal-length"):
        wide(torch.zeros(2, 6, 3), torch.tensor([6, 5]))
    assert np.isfinite(wide(torch.zeros(2, 6, 3), torch.tensor([6, 6]))[0].detach().numpy()).all()


def test_split_batches_deal_rows_out_among_the_nets():
    X, lengths = torch.randn(7, 12, 3), torch.full((7,), 12)
    wide = WideSeq2SeqModule(
        3, hidden_size=8, prediction_length=4, seeds=(3, 7), split_batches=True
    )
    output, target, mask, states, code = wide(X, lengths)
    # 7 rows, 2 nets: rows 0..5 train, row j net j % 2; each net's own frames, not side by side.
    assert output.shape == target.shape == (6, 4, 3) and states.shape == (6, 4, 8)
    assert code.shape == (6, 8) and mask.shape == (6, 4)
    torch.testing.assert_close(target, X[:6, 8:])
    for i, seed in enumerate((3, 7)):
        torch.manual_seed(seed)
        alone = Seq2SeqModule(3, hidden_size=8, prediction_length=4)(X[i:6:2], lengths[:3])
        torch.testing.assert_close(output[i::2], alone[0])
        torch.testing.assert_close(states[i::2], alone[3])
    torch.nn.functional.mse_loss(output, target).backward()
    assert all(float(wide.encoder_weight_ih.grad[i].abs().sum()) > 0 for i in range(2))
    # Out of training, and for batches smaller than the nets, every net reads every row.
    assert wide.eval()(X, lengths)[0].shape == (7, 4, 6)
    assert wide.train()(X[:1], lengths[:1])[0].shape == (1, 4, 6)
