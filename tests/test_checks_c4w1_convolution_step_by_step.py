"""The week-1 convolution checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c4w1_convolution_step_by_step as check

utils.setup_notebook(tensorflow=True)

# ----------------------------------------------------------------------------------------
# a correct reference, written here (the checks compare it with TensorFlow's ops)


def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def conv_single_step(a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W) + b.item())


def _sizes(A_prev, f, stride, pad):
    _, n_H_prev, n_W_prev, _ = A_prev.shape
    return (n_H_prev + 2 * pad - f) // stride + 1, (n_W_prev + 2 * pad - f) // stride + 1


def conv_forward(A_prev, W, b, hparameters, single_step=conv_single_step, pad_fn=zero_pad,
                 stride_rows=None, add_bias=True):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, _, n_C = W.shape
    n_H, n_W = _sizes(A_prev, f, stride, pad)
    A_prev_pad = pad_fn(A_prev, pad)
    rows = stride if stride_rows is None else stride_rows
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C))
    for i in range(A_prev.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                window = A_prev_pad[i, h * rows:h * rows + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    bias = b[:, :, :, c] if add_bias else np.zeros((1, 1, 1))
                    Z[i, h, w, c] = single_step(window, W[:, :, :, c], bias)
    return Z, (A_prev, W, b, hparameters)


def conv_forward_fast(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    windows = sliding_window_view(zero_pad(A_prev, pad), (f, f), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    Z = np.tensordot(windows, W, axes=([4, 5, 3], [0, 1, 2])) + b
    return Z, (A_prev, W, b, hparameters)


def pool_forward(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    reduce = np.max if mode == "max" else np.mean
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = reduce(window)
    return A, (A_prev, hparameters)


def conv_backward(dZ, cache, sum_batch=True, unpad=True):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, _, n_C = W.shape
    m, n_H, n_W, _ = dZ.shape
    dA_prev = np.zeros(A_prev.shape)
    dW, db = np.zeros(W.shape), np.zeros(b.shape)
    A_prev_pad, dA_prev_pad = zero_pad(A_prev, pad), zero_pad(dA_prev, pad)
    for i in range(m):
        if not sum_batch:
            dW, db = np.zeros(W.shape), np.zeros(b.shape)
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    window = A_prev_pad[i, vs:vs + f, hs:hs + f, :]
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += window * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    if not unpad:
        return dA_prev_pad, dW, db
    n_H_prev, n_W_prev = A_prev.shape[1:3]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def create_mask_from_window(x):
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    return mask


def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.full(shape, dz / (n_H * n_W))


def pool_backward(dA, cache, mode="max", mask_fn=create_mask_from_window,
                  distribute_fn=distribute_value, accumulate=True):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = mask_fn(A_prev[i, vs:vs + f, hs:hs + f, c])
                        part = mask * dA[i, h, w, c]
                    else:
                        part = distribute_fn(dA[i, h, w, c], (f, f))
                    if accumulate:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += part
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] = part
    return dA_prev


REFERENCE = {name: globals()[name] for name in (
    "zero_pad", "conv_single_step", "conv_forward", "conv_forward_fast", "pool_forward",
    "conv_backward", "create_mask_from_window", "distribute_value", "pool_backward")}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE, keywords=False)


def test_create_mask_accepts_zeros_and_ones(capsys):
    check.create_mask_from_window(lambda x: create_mask_from_window(x).astype(float))
    assert "passed" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a word the message must contain


def _pad_everything(X, pad):
    return np.pad(X, pad)


def _conv_forward_no_floor(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, _, n_C = W.shape
    n_H = (A_prev.shape[1] + 2 * pad - f) / stride + 1
    n_W = (A_prev.shape[2] + 2 * pad - f) / stride + 1
    return np.zeros((A_prev.shape[0], n_H, n_W, n_C)), (A_prev, W, b, hparameters)


def _conv_forward_no_plus_one(A_prev, W, b, hparameters):
    Z, cache = conv_forward(A_prev, W, b, hparameters)
    return Z[:, :-1, :-1, :], cache


def _conv_forward_rounded_up(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, _, n_C = W.shape
    n_H = -(-(A_prev.shape[1] + 2 * pad - f) // stride) + 1
    n_W = -(-(A_prev.shape[2] + 2 * pad - f) // stride) + 1
    return np.zeros((A_prev.shape[0], n_H, n_W, n_C)), (A_prev, W, b, hparameters)


def _conv_forward_stride_ignored(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    n_H, n_W = _sizes(A_prev, f, stride, pad)
    Z, _ = conv_forward(A_prev, W, b, {"stride": 1, "pad": pad})
    return Z[:, :n_H, :n_W, :], (A_prev, W, b, hparameters)


def _conv_forward_rows_columns_swapped(A_prev, W, b, hparameters):
    """vert_start from w and horiz_start from h."""
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, _, n_C = W.shape
    n_H, n_W = _sizes(A_prev, f, stride, pad)
    A_prev_pad = zero_pad(A_prev, pad)
    Z = np.zeros((A_prev.shape[0], n_H, n_W, n_C))
    for i in range(A_prev.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                window = A_prev_pad[i, w * stride:w * stride + f, h * stride:h * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = np.sum(window * W[:, :, :, c]) + b[0, 0, 0, c]
    return Z, (A_prev, W, b, hparameters)


def _fast_transposed_filter(A_prev, W, b, hparameters):
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    windows = sliding_window_view(zero_pad(A_prev, pad), (f, f), axis=(1, 2))[:, ::stride,
                                                                              ::stride]
    return np.tensordot(windows, W, axes=([5, 4, 3], [0, 1, 2])) + b, (A_prev, W, b,
                                                                        hparameters)


def _fast_is_the_loop(A_prev, W, b, hparameters):
    return conv_forward(A_prev, W, b, hparameters)


def _pool_mode_ignored(A_prev, hparameters, mode="max"):
    return pool_forward(A_prev, hparameters, "max")


def _pool_stride_ignored(A_prev, hparameters, mode="max"):
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = (A_prev.shape[1] - f) // stride + 1, (A_prev.shape[2] - f) // stride + 1
    A, _ = pool_forward(A_prev, {"f": f, "stride": 1}, mode)
    return A[:, :n_H, :n_W, :], (A_prev, hparameters)


def _pool_default_average(A_prev, hparameters, mode="average"):
    return pool_forward(A_prev, hparameters, mode)


def _conv_backward_last_example(dZ, cache):
    return conv_backward(dZ, cache, sum_batch=False)


def _conv_backward_padding_kept(dZ, cache):
    return conv_backward(dZ, cache, unpad=False)


def _conv_backward_minus_zero_slice(dZ, cache):
    dA_prev_pad, dW, db = conv_backward(dZ, cache, unpad=False)
    pad = cache[3]["pad"]
    return dA_prev_pad[:, pad:-pad, pad:-pad, :], dW, db


def _conv_backward_unpadded_windows(dZ, cache):
    """Windows taken from A_prev instead of A_prev_pad."""
    A_prev, W, b, hparameters = cache
    stride, f = hparameters["stride"], W.shape[0]
    dA_prev, _, db = conv_backward(dZ, cache)
    dW = np.zeros(W.shape)
    for i in range(dZ.shape[0]):
        for h in range(dZ.shape[1]):
            for w in range(dZ.shape[2]):
                for c in range(dZ.shape[3]):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                    dW[:, :, :, c] += window * dZ[i, h, w, c]
    return dA_prev, dW, db


def _conv_backward_divided_by_m(dZ, cache):
    dA_prev, dW, db = conv_backward(dZ, cache)
    return dA_prev, dW / dZ.shape[0], db


def _conv_backward_db_flat(dZ, cache):
    dA_prev, dW, db = conv_backward(dZ, cache)
    return dA_prev, dW, db.ravel()


def _mask_with_ties(x):
    return x == np.max(x)


def _pool_backward_average_with_max_mask(dA, cache, mode="max"):
    return pool_backward(dA, cache, "max")


def _pool_backward_ties(dA, cache, mode="max"):
    return pool_backward(dA, cache, mode, mask_fn=_mask_with_ties)


def _pool_backward_count_sum(dA, cache, mode="max"):
    return pool_backward(dA, cache, mode,
                         distribute_fn=lambda dz, shape: np.full(shape, dz / sum(shape)))


def _pool_backward_assigned(dA, cache, mode="max"):
    return pool_backward(dA, cache, mode, accumulate=False)


WRONG = [
    ("zero_pad", _pad_everything, "batch and channel axes"),
    ("zero_pad", lambda X, pad: np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)),
                                       constant_values=1.0), "zeros"),
    ("conv_single_step", lambda a, W, b: float(np.sum(a * W)), "b is missing"),
    ("conv_single_step", lambda a, W, b: np.sum(a * W) + b, "b.item()"),
    ("conv_single_step", lambda a, W, b: np.sum(a * W) + float(b), "b.item()"),
    ("conv_single_step", lambda a, W, b: float(np.mean(a * W) + b.item()), "not their mean"),
    ("conv_forward", lambda A, W, b, hp: conv_forward(A, W, b, hp, add_bias=False),
     "b is missing"),
    ("conv_forward", _conv_forward_no_floor, "whole numbers"),
    ("conv_forward", _conv_forward_no_plus_one, "+ 1"),
    ("conv_forward", _conv_forward_rounded_up, "round down"),
    ("conv_forward", _conv_forward_stride_ignored, "stride is ignored"),
    ("conv_forward", lambda A, W, b, hp: conv_forward(A, W, b, hp, stride_rows=1),
     "rows ignore the stride"),
    ("conv_forward", _conv_forward_rows_columns_swapped, "vert_start = h * stride"),
    ("conv_forward", lambda A, W, b, hp: conv_forward(A, W, b, hp, pad_fn=_pad_everything),
     "pads only axes 1 and 2"),
    ("conv_forward", lambda A, W, b, hp: (conv_forward(A, W, b, hp)[0], (W, A, b, hp)),
     "in that order"),
    ("conv_forward_fast", _fast_transposed_filter, "transposed"),
    ("conv_forward_fast", _fast_is_the_loop, "no Python loop"),
    ("conv_forward_fast", lambda A, W, b, hp: (conv_forward_fast(A, W, b, hp)[0] - b,
                                               (A, W, b, hp)), "b is missing"),
    ("pool_forward", _pool_mode_ignored, "other mode"),
    ("pool_forward", _pool_stride_ignored, "stride is ignored"),
    ("pool_forward", _pool_default_average, 'default mode is "max"'),
    ("conv_backward", _conv_backward_last_example, "last example"),
    ("conv_backward", _conv_backward_padding_kept, "still has its padding"),
    ("conv_backward", _conv_backward_minus_zero_slice, "x[0:-0] is empty"),
    ("conv_backward", _conv_backward_unpadded_windows, "A_prev_pad"),
    ("conv_backward", _conv_backward_divided_by_m, "no 1/m"),
    ("conv_backward", _conv_backward_db_flat, "(1, 1, 1, n_C)"),
    ("create_mask_from_window", lambda x: np.max(x), "not the maximum itself"),
    ("create_mask_from_window", _mask_with_ties, "both tied maxima"),
    ("create_mask_from_window", lambda x: x == np.min(x), "minimum"),
    ("distribute_value", lambda dz, shape: np.full(shape, dz / (shape[0] + shape[1])),
     "not n_H + n_W"),
    ("distribute_value", lambda dz, shape: np.full(shape, float(dz)), "divide dz"),
    ("distribute_value", lambda dz, shape: dz / (shape[0] * shape[1]), "given shape"),
    ("pool_backward", _pool_backward_average_with_max_mask, "max pooling's gradient"),
    ("pool_backward", lambda dA, cache, mode="max": pool_backward(dA, cache, "average"),
     "average pooling's gradient"),
    ("pool_backward", _pool_backward_ties, "appears twice"),
    ("pool_backward", _pool_backward_count_sum, "f + f"),
    ("pool_backward", _pool_backward_assigned, "do not assign"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), WRONG,
                         ids=[f"{n}-{w}" for n, _, w in WRONG])
def test_typical_mistakes_fail_with_a_useful_message(name, wrong, word, capsys):
    mistake_is_caught(check, name, wrong, word)
    assert "passed" not in capsys.readouterr().out


def test_checks_leave_the_inputs_alone():
    def pad_in_place(X, pad):
        X *= 1.0
        X[...] = 0.0
        return zero_pad(X, pad)

    mistake_is_caught(check, "zero_pad", pad_in_place, "changed in place")
