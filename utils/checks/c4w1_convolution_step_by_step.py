"""Checks for Course 4, week 1: convolution and pooling, forward and backward, in numpy.

Oracles:

- ``zero_pad``, ``conv_single_step``, ``create_mask_from_window``, ``distribute_value``:
  values worked out by hand on tiny inputs (written out below), plus ``np.vdot`` for a
  seeded ``conv_single_step``;
- ``conv_forward``, ``conv_forward_fast``: TensorFlow's ``tf.nn.conv2d`` (``padding="VALID"``
  on an input padded with ``np.pad``, the same stride) plus the bias, in float64;
- ``pool_forward``: ``tf.nn.max_pool2d`` and ``tf.nn.avg_pool2d``;
- ``conv_backward``, ``pool_backward``: the gradients that ``tf.GradientTape`` computes for
  the scalar ``sum(dZ * Z)`` through those same TensorFlow ops, so each gradient is the
  derivative of that scalar: a sum over the examples, with no ``1/m``.

Shapes (the course's, channels last): ``A_prev (m, n_H_prev, n_W_prev, n_C_prev)``,
``W (f, f, n_C_prev, n_C)``, ``b (1, 1, 1, n_C)``, ``Z (m, n_H, n_W, n_C)``. The inputs are
not square and use a stride that does not divide the padded size exactly, so that rows and
columns mixed up, or a size without the floor, show.

Ties in max pooling: ``create_mask_from_window`` marks one maximum, the first in reading
order (``np.argmax``), as TensorFlow's max-pool gradient does; marking every tied maximum
would count the gradient twice.

TensorFlow is imported inside the functions, so importing this module before
``utils.setup_notebook(tensorflow=True)`` does not import TensorFlow too early.
"""

import math
import time

import numpy as np

from utils.checks.harness import Checker, rounded

TOLERANCE = {"rtol": 1e-6, "atol": 1e-9}
# conv_forward_fast must handle a (4, 64, 64, 16) input with 16 filters of 3x3 in less than
# this many seconds (best of 3 runs). Measured: the vectorised solution about 0.003 s, the
# loop conv_forward about 0.8 s, a loop over output pixels with np.tensordot about 0.06 s.
FAST_SECONDS = 0.25

OUTPUT_SIZE_HINT = ("n_H = floor((n_H_prev + 2 pad - f) / stride) + 1 and "
                    "n_W = floor((n_W_prev + 2 pad - f) / stride) + 1: use // (or int()) and "
                    "remember the + 1.")
POOL_SIZE_HINT = ("n_H = floor((n_H_prev - f) / stride) + 1 and "
                  "n_W = floor((n_W_prev - f) / stride) + 1 (pooling has no padding): use // "
                  "(or int()) and remember the + 1.")
WINDOW_HINT = ("the window of output (h, w) starts at row vert_start = h * stride and column "
               "horiz_start = w * stride of the PADDED input, and is f rows by f columns; "
               "loop h over n_H (rows) and w over n_W (columns).")


def _tf():
    import tensorflow as tf

    return tf


def _rng(seed):
    return np.random.default_rng(seed)


def _np_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def _output_size(size, f, stride, pad):
    return (size + 2 * pad - f) // stride + 1


# ----------------------------------------------------------------------------------------
# TensorFlow oracles


def _float64(array):
    """A float64 tensor: tf.nn.max_pool2d turns a numpy array into float32 otherwise."""
    tf = _tf()
    return tf.constant(np.asarray(array, dtype=np.float64), dtype=tf.float64)


def _tf_conv(A_prev, W, b, stride, pad):
    tf = _tf()
    Z = tf.nn.conv2d(_float64(_np_pad(A_prev, pad)), _float64(W), strides=stride,
                     padding="VALID")
    return Z.numpy() + b


def _tf_pool(A_prev, f, stride, mode):
    tf = _tf()
    op = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    return op(_float64(A_prev), ksize=f, strides=stride, padding="VALID").numpy()


def _tf_conv_gradients(dZ, A_prev, W, b, stride, pad):
    """d sum(dZ * Z) / d(A_prev, W, b) for Z = conv(pad(A_prev), W) + b."""
    tf = _tf()
    A_var, W_var, b_var = (tf.Variable(_float64(x)) for x in (A_prev, W, b))
    with tf.GradientTape() as tape:
        padded = tf.pad(A_var, [[0, 0], [pad, pad], [pad, pad], [0, 0]])
        Z = tf.nn.conv2d(padded, W_var, strides=stride, padding="VALID") + b_var
        scalar = tf.reduce_sum(Z * _float64(dZ))
    return [g.numpy() for g in tape.gradient(scalar, [A_var, W_var, b_var])]


def _tf_pool_gradient(dA, A_prev, f, stride, mode):
    tf = _tf()
    op = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    A_var = tf.Variable(_float64(A_prev))
    with tf.GradientTape() as tape:
        pooled = op(A_var, ksize=f, strides=stride, padding="VALID")
        scalar = tf.reduce_sum(pooled * _float64(dA))
    return tape.gradient(scalar, A_var).numpy()


# ----------------------------------------------------------------------------------------
# inputs


def _conv_case(seed, m, n_H_prev, n_W_prev, n_C_prev, f, n_C):
    rng = _rng(seed)
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C)) * 0.5
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b


# (seed, A_prev shape, f, n_C, stride, pad): rows 6 -> 3 and columns 8 -> 4 with stride 2,
# where (8 + 2 - 3) / 2 = 3.5 needs the floor; then a case without padding
CONV_CASES = [
    (1, (2, 6, 8, 3), 3, 4, 2, 1),
    (2, (1, 4, 5, 2), 2, 3, 1, 0),
]
# an extra case for the vectorised version: stride 3, pad 2, 4x4 filters
FAST_EXTRA_CASE = (3, (2, 9, 7, 2), 4, 3, 3, 2)


def _make_conv(case):
    seed, (m, n_H_prev, n_W_prev, n_C_prev), f, n_C, stride, pad = case
    A_prev, W, b = _conv_case(seed, m, n_H_prev, n_W_prev, n_C_prev, f, n_C)
    return A_prev, W, b, {"stride": stride, "pad": pad}


def _describe(A_prev, W, hparameters):
    return (f"A_prev {A_prev.shape}, W {W.shape}, stride {hparameters['stride']}, "
            f"pad {hparameters['pad']}")


def _wrong_output_shapes(m, n_H_prev, n_W_prev, f, n_C, stride, pad,
                         size_hint=OUTPUT_SIZE_HINT):
    """(shape, hint) pairs for the usual mistakes in the output size."""
    n_H, n_W = _output_size(n_H_prev, f, stride, pad), _output_size(n_W_prev, f, stride, pad)
    exact_H = (n_H_prev + 2 * pad - f) / stride
    exact_W = (n_W_prev + 2 * pad - f) / stride
    return [
        ((m, n_H - 1, n_W - 1, n_C), "the output is one row and one column too small: the "
                                     "formula ends with + 1. " + size_hint),
        ((m, math.ceil(exact_H) + 1, math.ceil(exact_W) + 1, n_C),
         "the size is rounded up: a window that would stick out of the padded input is "
         "dropped, so round down (//). " + size_hint),
        ((m, round(exact_H) + 1, round(exact_W) + 1, n_C),
         "round() is not the floor: use // (or int()). " + size_hint),
        ((m, n_W, n_H, n_C), "rows and columns are swapped: n_H comes from n_H_prev (axis 1) "
                             "and n_W from n_W_prev (axis 2)."),
        ((m, n_H_prev + 2 * pad - f + 1, n_W_prev + 2 * pad - f + 1, n_C),
         "that is the size for stride 1: divide by the stride. " + size_hint),
    ]


def _check_output_shape(check, what, got, expected_shape, wrong_shapes,
                        size_hint=OUTPUT_SIZE_HINT):
    hint = size_hint
    if isinstance(got, np.ndarray):
        hint = next((h for shape, h in wrong_shapes
                     if tuple(got.shape) == tuple(shape) and tuple(shape) != expected_shape),
                    hint)
    check.array(what, got, expected_shape, hint=hint)


def _stride_one_crop(A_prev, W, b, pad, n_H, n_W, strides):
    """What a loop that ignores the stride along rows and/or columns computes: the output
    with ``strides`` (rows, columns), cropped to the right size."""
    return _tf_conv(A_prev, W, b, [1, *strides, 1], pad)[:, :n_H, :n_W, :]


def _conv_mistakes(A_prev, W, b, hparameters, expected):
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H, n_W = expected.shape[1:3]
    mistakes = [
        (expected - b, "b is missing: add b[:, :, :, c] (one bias per filter) to every "
                       "output of filter c."),
        (_tf_conv(A_prev, W.transpose(1, 0, 2, 3), b, stride, pad),
         "the filter is transposed (its rows and columns swapped): the window's axis 1 "
         "(rows) meets W's axis 0 and the window's axis 2 (columns) meets W's axis 1."),
    ]
    if stride > 1:
        mistakes += [
            (_stride_one_crop(A_prev, W, b, pad, n_H, n_W, (1, 1)),
             "the stride is ignored: the windows start at h * stride and w * stride, not at "
             "h and w."),
            (_stride_one_crop(A_prev, W, b, pad, n_H, n_W, (1, stride)),
             "the rows ignore the stride: vert_start = h * stride (and vert_end = "
             "vert_start + f)."),
            (_stride_one_crop(A_prev, W, b, pad, n_H, n_W, (stride, 1)),
             "the columns ignore the stride: horiz_start = w * stride (and horiz_end = "
             "horiz_start + f)."),
        ]
    return mistakes


def _check_convolution(check, fn, case, name):
    """Shape, cache and values of fn(A_prev, W, b, hparameters) against tf.nn.conv2d."""
    A_prev, W, b, hparameters = _make_conv(case)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, _, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    where = _describe(A_prev, W, hparameters)
    result = check.call_or_fail(fn, A_prev, W, b, dict(hparameters),
                                hint=WINDOW_HINT + " Also check that zero_pad pads only "
                                     "axes 1 and 2 and that the sizes are whole numbers (//).")
    check.type_is(f"the result of {name}", result, tuple, hint="return two things: Z, cache.")
    check.that(f"number of values returned by {name}", len(result) == 2, len(result), 2,
               hint="return Z, cache.")
    Z, cache = result
    expected = _tf_conv(A_prev, W, b, stride, pad)
    _check_output_shape(check, f"Z for {where}", Z, expected.shape,
                        _wrong_output_shapes(m, n_H_prev, n_W_prev, f, n_C, stride, pad))
    check.close(f"Z for {where}", Z, expected, **TOLERANCE,
                hint="Z[i, h, w, c] = sum(window * W[:, :, :, c]) + b[:, :, :, c], with the "
                     "window a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]. "
                     + WINDOW_HINT,
                mistakes=_conv_mistakes(A_prev, W, b, hparameters, expected))
    names = ("A_prev", "W", "b", "hparameters")
    check.type_is(f"the cache of {name}", cache, tuple,
                  hint="the cache is the tuple (A_prev, W, b, hparameters).")
    check.that(f"length of the cache of {name}", len(cache) == 4, len(cache), 4,
               hint="the cache is the tuple (A_prev, W, b, hparameters).")
    for index, (item, original, label) in enumerate(zip(cache, (A_prev, W, b, hparameters),
                                                        names, strict=True)):
        if isinstance(original, dict):
            ok = isinstance(item, dict) and item == original
        else:
            ok = isinstance(item, np.ndarray) and item.shape == original.shape and \
                np.array_equal(item, original)
        check.that(f"cache[{index}] of {name}", ok, type(item).__name__, label,
                   hint="the cache is (A_prev, W, b, hparameters): the unpadded input, in "
                        "that order.")
    return Z


# ----------------------------------------------------------------------------------------
# zero padding and one convolution step


def zero_pad(fn):
    """Check zero_pad on a hand-made example (a border of zeros around every image)."""
    check = Checker("zero_pad")
    X = np.arange(1.0, 7.0).reshape(1, 2, 3, 1)  # one 2x3 image, one channel: 1 ... 6
    got = check.call(fn, X, 1)
    hand = np.array([[0.0, 0.0, 0.0, 0.0, 0.0],
                     [0.0, 1.0, 2.0, 3.0, 0.0],
                     [0.0, 4.0, 5.0, 6.0, 0.0],
                     [0.0, 0.0, 0.0, 0.0, 0.0]]).reshape(1, 4, 5, 1)
    axes_hint = ("pad only axis 1 (height) and axis 2 (width): np.pad(X, ((0, 0), (pad, pad), "
                 "(pad, pad), (0, 0))). The examples (axis 0) and the channels (axis 3) keep "
                 "their number.")
    if isinstance(got, np.ndarray) and got.shape == (3, 4, 5, 3):
        axes_hint = "the batch and channel axes were padded too. " + axes_hint
    check.array("zero_pad(X, 1) for X of shape (1, 2, 3, 1)", got, (1, 4, 5, 1),
                hint=axes_hint)
    check.close("zero_pad(X, 1) for X = [[1, 2, 3], [4, 5, 6]]", got, hand,
                hint="the border is made of zeros (constant_values=0) and X sits in the middle.")

    rng = _rng(4)
    X2 = rng.standard_normal((3, 4, 2, 2))
    got2 = check.call(fn, X2, 2)
    check.array("zero_pad(X, 2) for X of shape (3, 4, 2, 2)", got2, (3, 8, 6, 2),
                hint=axes_hint)
    framed = np.zeros((3, 8, 6, 2))
    framed[:, 2:6, 2:4, :] = X2
    check.close("zero_pad(X, 2) for a random X", got2, framed,
                hint="X must sit unchanged in the middle, with pad zeros on each side.")
    got0 = check.call(fn, X2, 0)
    check.close("zero_pad(X, 0)", got0, X2, hint="pad = 0 returns X unchanged (same shape).")
    print("zero_pad(X, 1)[0, :, :, 0] =")
    print(rounded(got[0, :, :, 0], 4))
    check.done()


def conv_single_step(fn):
    """Check conv_single_step on a hand-worked 2x2x2 slice and a seeded 3x3x4 one."""
    check = Checker("conv_single_step")
    a_slice = np.array([[[1.0, 2.0], [0.0, 1.0]], [[3.0, -1.0], [2.0, 0.0]]])
    W = np.array([[[1.0, 0.0], [2.0, 1.0]], [[-1.0, 1.0], [0.5, 2.0]]])
    b = np.array([[[0.5]]])
    # by hand: 1*1 + 2*0 + 0*2 + 1*1 + 3*(-1) + (-1)*1 + 2*0.5 + 0*2 = -1, plus b = 0.5
    b_hint = ("b has shape (1, 1, 1): add b.item() (its one number; float(b) fails on an "
              "array with axes) so that Z is a single number, not an array.")
    got = check.call_or_fail(fn, a_slice, W, b, hint=b_hint)
    check.number("Z", got, hint=b_hint)
    check.close("Z for the hand-worked 2x2x2 slice", got, -0.5,
                hint="Z = sum of a_slice * W (elementwise, over all three axes) + b.",
                mistakes=[(-1.0, "b is missing: Z = sum(a_slice * W) + b."),
                          (-1.0 / 8 + 0.5, "use the sum of the products, not their mean.")])
    rng = _rng(5)
    a2, W2, b2 = rng.standard_normal((3, 3, 4)), rng.standard_normal((3, 3, 4)), \
        rng.standard_normal((1, 1, 1))
    got2 = check.call(fn, a2, W2, b2)
    check.number("Z for a random 3x3x4 slice", got2)
    check.close("Z for a random 3x3x4 slice", got2, np.vdot(a2, W2) + b2.item(),
                hint="multiply elementwise and sum everything: np.sum(a_slice_prev * W).")
    print("Z =", rounded(float(got), 4))
    check.done()


# ----------------------------------------------------------------------------------------
# the convolution's forward pass


def conv_forward(fn):
    """Check conv_forward against tf.nn.conv2d on two seeded cases."""
    check = Checker("conv_forward")
    Z = _check_convolution(check, fn, CONV_CASES[0], "conv_forward")
    _check_convolution(check, fn, CONV_CASES[1], "conv_forward")
    print("Z.shape =", Z.shape)
    print("Z[1, 2, 3] =", rounded(Z[1, 2, 3], 4))
    check.done()


def conv_forward_fast(fn):
    """Check the vectorised convolution against tf.nn.conv2d, and that it is fast."""
    check = Checker("conv_forward_fast")
    Z = _check_convolution(check, fn, CONV_CASES[0], "conv_forward_fast")
    _check_convolution(check, fn, CONV_CASES[1], "conv_forward_fast")
    _check_convolution(check, fn, FAST_EXTRA_CASE, "conv_forward_fast")
    A_prev, W, b = _conv_case(6, 4, 64, 64, 16, 3, 16)
    hparameters = {"stride": 1, "pad": 1}
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        big, _ = check.call(fn, A_prev, W, b, dict(hparameters))
        seconds.append(time.perf_counter() - start)
    check.close("Z for A_prev (4, 64, 64, 16), W (3, 3, 16, 16), stride 1, pad 1", big,
                _tf_conv(A_prev, W, b, 1, 1), **TOLERANCE)
    check.that(f"time for a (4, 64, 64, 16) input, best of 3 runs, below {FAST_SECONDS} s",
               min(seconds) < FAST_SECONDS, f"{min(seconds):.3f} s",
               f"below {FAST_SECONDS} s (the vectorised solution takes a few milliseconds)",
               hint="no Python loop over examples, rows, columns and filters: build every "
                    "window at once (np.lib.stride_tricks.sliding_window_view) and contract "
                    "them with W in one np.tensordot / np.einsum / matrix product.")
    print("Z.shape =", Z.shape)
    print("Z[1, 2, 3] =", rounded(Z[1, 2, 3], 4))
    check.done()


# ----------------------------------------------------------------------------------------
# pooling forward

# (seed, A_prev shape, f, stride): 5x7 -> 2x3 with 3x3 windows, stride 2 (overlapping by one
# row and column); then 2x2 windows with stride 1
POOL_CASES = [
    (7, (2, 5, 7, 3), 3, 2),
    (8, (1, 4, 5, 2), 2, 1),
]


def _make_pool(case):
    seed, shape, f, stride = case
    return _rng(seed).standard_normal(shape), {"f": f, "stride": stride}


def pool_forward(fn):
    """Check max and average pooling against tf.nn.max_pool2d and tf.nn.avg_pool2d."""
    check = Checker("pool_forward")
    printed = {}
    for case in POOL_CASES:
        A_prev, hparameters = _make_pool(case)
        f, stride = hparameters["f"], hparameters["stride"]
        m, n_H_prev, n_W_prev, n_C = A_prev.shape
        where = f"A_prev {A_prev.shape}, f {f}, stride {stride}"
        for mode in ("max", "average"):
            result = check.call_or_fail(fn, A_prev, dict(hparameters), mode,
                                        hint=WINDOW_HINT.replace("PADDED input", "input (no "
                                                                 "padding in pooling)"))
            check.type_is(f"the result for mode={mode!r}", result, tuple,
                          hint="return two things: A, cache.")
            check.that(f"number of values returned for mode={mode!r}", len(result) == 2,
                       len(result), 2, hint="return A, cache.")
            A, cache = result
            expected = _tf_pool(A_prev, f, stride, mode)
            other = _tf_pool(A_prev, f, stride, "average" if mode == "max" else "max")
            wrong_shapes = _wrong_output_shapes(m, n_H_prev, n_W_prev, f, n_C, stride, 0,
                                                POOL_SIZE_HINT)
            _check_output_shape(check, f"A for {where}, mode={mode!r}", A, expected.shape,
                                wrong_shapes, POOL_SIZE_HINT)
            mistakes = [(other, f"this is the other mode's result: look at mode ({mode!r}) "
                                "and use np.max for 'max', np.mean for 'average'.")]
            if stride > 1:
                stride_one = _tf_pool(A_prev, f, 1, mode)[:, :expected.shape[1],
                                                             :expected.shape[2], :]
                mistakes.append((stride_one, "the stride is ignored: window (h, w) starts at "
                                             "h * stride, w * stride."))
            check.close(f"A for {where}, mode={mode!r}", A, expected, **TOLERANCE,
                        hint="A[i, h, w, c] is the max (or the mean) of the window "
                             "a_prev[vert_start:vert_end, horiz_start:horiz_end, c] of each "
                             "channel on its own. " + WINDOW_HINT.replace("PADDED ", ""),
                        mistakes=mistakes)
            check.type_is("the cache", cache, tuple, hint="the cache is (A_prev, hparameters).")
            ok = len(cache) == 2 and isinstance(cache[0], np.ndarray) and \
                cache[0].shape == A_prev.shape and np.array_equal(cache[0], A_prev) and \
                cache[1] == hparameters
            check.that("the cache", ok, "another cache", "(A_prev, hparameters)",
                       hint="the cache is the tuple (A_prev, hparameters).")
            printed.setdefault(mode, A)
        default = check.call(fn, A_prev, dict(hparameters))[0]
        check.close(f"A for {where} with mode left out", default,
                    _tf_pool(A_prev, f, stride, "max"), **TOLERANCE,
                    hint='the default mode is "max": def pool_forward(A_prev, hparameters, '
                         'mode="max").')
    for mode, A in printed.items():
        print(f"mode={mode!r}: A.shape = {A.shape}, A[1, 1, 2] = {rounded(A[1, 1, 2], 4)}")
    check.done()


# ----------------------------------------------------------------------------------------
# the convolution's backward pass


def _pad_zero_hint(shape):
    if len(shape) == 4 and 0 in shape[1:3]:
        return ("dA_prev came back empty: with pad = 0, x[0:-0] is empty. Slice the padding "
                "off with dA_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :] (or skip it "
                "when pad == 0).")
    return None


def conv_backward(fn):
    """Check conv_backward against tf.GradientTape through tf.nn.conv2d."""
    check = Checker("conv_backward")
    first = None
    for seed, case in zip((11, 12), CONV_CASES, strict=True):
        A_prev, W, b, hparameters = _make_conv(case)
        stride, pad = hparameters["stride"], hparameters["pad"]
        m = A_prev.shape[0]
        Z_shape = _tf_conv(A_prev, W, b, stride, pad).shape
        dZ = _rng(seed).standard_normal(Z_shape)
        where = _describe(A_prev, W, hparameters)
        result = check.call_or_fail(
            fn, dZ, (A_prev, W, b, dict(hparameters)),
            hint="take every window from A_prev_pad, the padded input (its shape matches W), "
                 "add into dA_prev_pad[i, vert_start:vert_end, horiz_start:horiz_end, :], "
                 "and remove the padding at the end. " + WINDOW_HINT)
        check.type_is("the result", result, tuple, hint="return three things: dA_prev, dW, db.")
        check.that("number of returned values", len(result) == 3, len(result), 3,
                   hint="return dA_prev, dW, db.")
        dA_prev, dW, db = result
        dA_expected, dW_expected, db_expected = _tf_conv_gradients(dZ, A_prev, W, b, stride,
                                                                   pad)
        padded_shape = (m, A_prev.shape[1] + 2 * pad, A_prev.shape[2] + 2 * pad, A_prev.shape[3])
        unpad_hint = "dA_prev has the shape of A_prev."
        if isinstance(dA_prev, np.ndarray):
            if dA_prev.shape == padded_shape and pad > 0:
                unpad_hint = ("dA_prev still has its padding: keep "
                              "dA_prev_pad[pad:-pad, pad:-pad, :] for each example.")
            unpad_hint = _pad_zero_hint(dA_prev.shape) or unpad_hint
        check.array(f"dA_prev for {where}", dA_prev, A_prev.shape, hint=unpad_hint)
        check.array(f"dW for {where}", dW, W.shape, hint="dW has the shape of W.")
        check.array(f"db for {where}", db, b.shape,
                    hint="db has the shape of b, (1, 1, 1, n_C): sum dZ over axes 0, 1 and 2 "
                         "(keepdims=True), or add dZ[i, h, w, c] into db[:, :, :, c].")
        last = _tf_conv_gradients(dZ[-1:], A_prev[-1:], W, b, stride, pad)
        first_only = _tf_conv_gradients(dZ[:1], A_prev[:1], W, b, stride, pad)
        batch = []
        if m > 1:
            batch = [(last[1], "dW holds only the last example's gradient: accumulate "
                               "dW[:, :, :, c] += ... over every example (set it to zeros "
                               "once, before the loops)."),
                     (first_only[1], "dW holds only the first example's gradient: accumulate "
                                     "over every example of the batch.")]
        check.close(f"dW for {where}", dW, dW_expected, **TOLERANCE,
                    hint="dW[:, :, :, c] += a_slice * dZ[i, h, w, c], where a_slice is the "
                         "window of the PADDED input A_prev_pad, summed over every example "
                         "and position (no 1/m).",
                    mistakes=batch + [(dW_expected / m, "no 1/m in conv_backward: the "
                                                        "gradients are sums over the batch.")]
                    if m > 1 else batch)
        db_mistakes = [(last[2], "db holds only the last example's gradient: sum over the "
                                 "batch too.")] if m > 1 else []
        check.close(f"db for {where}", db, db_expected, **TOLERANCE,
                    hint="db[:, :, :, c] is the sum of dZ[:, :, :, c] over the examples, rows "
                         "and columns.", mistakes=db_mistakes)
        check.close(f"dA_prev for {where}", dA_prev, dA_expected, **TOLERANCE,
                    hint="da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += "
                         "W[:, :, :, c] * dZ[i, h, w, c] (windows overlap, so add), then "
                         "dA_prev[i] is da_prev_pad without its border of pad.")
        if first is None:
            first = (dA_prev, dW, db)
    dA_prev, dW, db = first
    print(f"dA_prev.shape = {dA_prev.shape}, dW.shape = {dW.shape}")
    print("db =", rounded(db.ravel(), 4))
    check.done()


# ----------------------------------------------------------------------------------------
# pooling backward: the two helpers, then the whole pass


def create_mask_from_window(fn):
    """Check the max mask on hand-made windows, one of them with a tied maximum."""
    check = Checker("create_mask_from_window")
    x = np.array([[1.5, -2.0], [0.3, 2.5]])
    got = check.call(fn, x)
    shape_hint = ("return an array of x's shape, True (or 1) where x holds its maximum and "
                  "False (or 0) elsewhere, not the maximum itself.")
    check.array("mask for x = [[1.5, -2.0], [0.3, 2.5]]", got, (2, 2), hint=shape_hint)
    check.close("mask for x = [[1.5, -2.0], [0.3, 2.5]]", got, [[0.0, 0.0], [0.0, 1.0]],
                hint="the mask is True at the position of the maximum of x.",
                mistakes=[([[0.0, 1.0], [0.0, 0.0]], "that marks the minimum: use the "
                                                      "maximum.")])
    tied = np.array([[1.0, 4.0, -2.0], [4.0, 0.0, 3.0]])
    got_tied = check.call(fn, tied)
    check.array("mask for x = [[1, 4, -2], [4, 0, 3]]", got_tied, (2, 3), hint=shape_hint)
    check.close("mask for x = [[1, 4, -2], [4, 0, 3]] (the maximum 4 appears twice)",
                got_tied, [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]],
                hint="mark one maximum only, the first in reading order (np.argmax).",
                mistakes=[([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
                           "both tied maxima are marked, so the gradient would be passed back "
                           "twice: mark only the first (np.argmax(x) with np.unravel_index, as "
                           "TensorFlow does).")])
    rng = _rng(9)
    x3 = rng.standard_normal((3, 3))
    got3 = check.call(fn, x3)
    expected3 = np.zeros((3, 3))
    expected3[np.unravel_index(np.argmax(x3), x3.shape)] = 1.0
    check.close("mask for a random 3x3 window", got3, expected3)
    print("mask =", rounded(np.asarray(got_tied, dtype=int), 1))
    check.done()


def distribute_value(fn):
    """Check distribute_value on hand-worked values."""
    check = Checker("distribute_value")
    got = check.call(fn, 3.0, (2, 3))
    check.array("distribute_value(3.0, (2, 3))", got, (2, 3),
                hint="return an array of the given shape (n_H, n_W).")
    # by hand: 3 / (2 * 3) = 0.5 in each of the 6 cells
    check.close("distribute_value(3.0, (2, 3))", got, np.full((2, 3), 0.5),
                hint="each of the n_H * n_W cells gets dz / (n_H * n_W).",
                mistakes=[(np.full((2, 3), 3.0 / 5), "divide by the number of cells, "
                                                     "n_H * n_W = 6, not n_H + n_W = 5."),
                          (np.full((2, 3), 3.0), "divide dz by the number of cells, "
                                                 "n_H * n_W."),
                          (np.full((2, 3), 1.5), "divide by n_H * n_W, not by n_H only."),
                          (np.full((2, 3), 1.0), "divide by n_H * n_W, not by n_W only."),
                          (np.full((2, 3), 18.0), "divide dz by n_H * n_W, do not multiply.")])
    got2 = check.call(fn, -2.0, (4, 1))
    check.array("distribute_value(-2.0, (4, 1))", got2, (4, 1))
    check.close("distribute_value(-2.0, (4, 1))", got2, np.full((4, 1), -0.5),
                hint="each of the n_H * n_W cells gets dz / (n_H * n_W).")
    print("distribute_value(3.0, (2, 3)) =")
    print(rounded(got, 4))
    check.done()


# (seed, A_prev shape, f, stride): overlapping 3x3 windows with stride 2; then 2x2, stride 2
POOL_BACKWARD_CASES = [
    (13, (2, 5, 7, 3), 3, 2),
    (14, (1, 4, 6, 2), 2, 2),
]


def pool_backward(fn):
    """Check pool_backward against tf.GradientTape through max_pool2d and avg_pool2d."""
    check = Checker("pool_backward")
    printed = []
    for case in POOL_BACKWARD_CASES:
        A_prev, hparameters = _make_pool(case)
        f, stride = hparameters["f"], hparameters["stride"]
        # a tie for the maximum of the first window of the first example, first channel
        A_prev[0, 0, 0, 0] = A_prev[0, 0, 1, 0] = 5.0
        out_shape = _tf_pool(A_prev, f, stride, "max").shape
        dA = _rng(case[0] + 100).standard_normal(out_shape)
        where = f"A_prev {A_prev.shape}, f {f}, stride {stride}"
        expected = {mode: _tf_pool_gradient(dA, A_prev, f, stride, mode)
                    for mode in ("max", "average")}
        for mode in ("max", "average"):
            got = check.call_or_fail(
                fn, dA, (A_prev, dict(hparameters)), mode,
                hint="dA_prev has the shape of A_prev; the window of dA[i, h, w, c] is "
                     "dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]. "
                     + WINDOW_HINT.replace("PADDED ", ""))
            check.array(f"dA_prev for {where}, mode={mode!r}", got, A_prev.shape,
                        hint="dA_prev has the shape of A_prev (it is the gradient for it).")
            other = "average" if mode == "max" else "max"
            if mode == "max":
                mistakes = [(expected[other], "this is average pooling's gradient: for "
                                              "mode='max' route dA through the mask of the "
                                              "window's maximum (create_mask_from_window).")]
                ties = expected["max"].copy()
                ties[0, 0, 1, 0] += dA[0, 0, 0, 0]
                mistakes.append((ties, "a window whose maximum appears twice passed dA to both "
                                       "copies: the mask must mark only one maximum (the "
                                       "first, np.argmax)."))
            else:
                mistakes = [(expected[other], "this is max pooling's gradient (the max mask): "
                                              "for mode='average' spread dA evenly over the "
                                              "window with distribute_value.")]
                mistakes += [(expected["average"] * f * f / (2 * f),
                              "each cell got dA / (f + f): distribute_value divides by "
                              "n_H * n_W."),
                             (expected["average"] * f * f,
                              "the whole dA went to every cell: distribute_value divides by "
                              "n_H * n_W.")]
            check.close(f"dA_prev for {where}, mode={mode!r}", got, expected[mode], **TOLERANCE,
                        hint="dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += "
                             "mask * dA[i, h, w, c] for 'max', += distribute_value(dA[i, h, w, "
                             "c], (f, f)) for 'average'; windows can overlap, so add (+=), "
                             "do not assign.", mistakes=mistakes)
            if len(printed) < 2:
                printed.append((mode, got))
    for mode, got in printed:
        print(f"mode={mode!r}: dA_prev.shape = {got.shape}, "
              f"sum of dA_prev = {rounded(float(np.sum(got)), 4)} (the sum of dA)")
    check.done()
