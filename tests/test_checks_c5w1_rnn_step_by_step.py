"""The week-1 RNN/LSTM checks pass a correct reference and catch typical mistakes."""

import numpy as np
import pytest
from scipy.special import expit, softmax

import utils
from tests.check_contract import blank_raises_not_implemented, mistake_is_caught, reference_passes
from utils.checks import c5w1_rnn_step_by_step as check

utils.setup_notebook(tensorflow=True)

# ----------------------------------------------------------------------------------------
# a correct reference, written here (verified against numeric gradients by the checks)

def rnn_cell_forward(xt, a_prev, p):
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt = softmax(p["Wya"] @ a_next + p["by"], axis=0)
    return a_next, yt, (a_next, a_prev, xt, p)


def rnn_forward(x, a0, p):
    n_x, m, T = x.shape
    n_a, n_y = p["Waa"].shape[0], p["Wya"].shape[0]
    a, y, caches, a_next = np.zeros((n_a, m, T)), np.zeros((n_y, m, T)), [], a0
    for t in range(T):
        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, p)
        a[:, :, t], y[:, :, t] = a_next, yt
        caches.append(cache)
    return a, y, (caches, x)


def lstm_cell_forward(xt, a_prev, c_prev, p):
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = expit(p["Wf"] @ concat + p["bf"])
    it = expit(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = expit(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt = softmax(p["Wy"] @ a_next + p["by"], axis=0)
    return a_next, c_next, yt, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def lstm_forward(x, a0, p):
    n_x, m, T = x.shape
    n_a, n_y = p["Wy"].shape[1], p["Wy"].shape[0]
    a, c, y, caches = np.zeros((n_a, m, T)), np.zeros((n_a, m, T)), np.zeros((n_y, m, T)), []
    a_next, c_next = a0, np.zeros_like(a0)
    for t in range(T):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, p)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_next**2)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def rnn_backward(da, caches):
    caches, x = caches
    n_x, m, T = x.shape
    n_a = da.shape[0]
    p = caches[0][3]
    dx = np.zeros((n_x, m, T))
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        dWax, dWaa, dba = dWax + g["dWax"], dWaa + g["dWaa"], dba + g["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    dzo = da_next * tanh_c * ot * (1 - ot)
    dzc = dc * it * (1 - cct**2)
    dzi = dc * cct * it * (1 - it)
    dzf = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = p["Wf"].T @ dzf + p["Wi"].T @ dzi + p["Wc"].T @ dzc + p["Wo"].T @ dzo
    g = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for name, dz in (("f", dzf), ("i", dzi), ("c", dzc), ("o", dzo)):
        g["dW" + name] = dz @ concat.T
        g["db" + name] = dz.sum(axis=1, keepdims=True)
    return g


def lstm_backward(da, caches):
    caches, x = caches
    n_x, m, T = x.shape
    n_a = da.shape[0]
    p = caches[0][9]
    dx = np.zeros((n_x, m, T))
    grads = {f"d{w}{g}": np.zeros_like(p[f"{w}{g}"]) for w in "Wb" for g in "fico"}
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        dx[:, :, t], da_prevt, dc_prevt = g["dxt"], g["da_prev"], g["dc_prev"]
        for key in grads:
            grads[key] = grads[key] + g[key]
    return {"dx": dx, "da0": da_prevt, **grads}


REFERENCE = {name: globals()[name] for name in (
    "rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
    "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, capsys):
    reference_passes(check, REFERENCE, name, capsys)


def test_blank_exercise_raises_not_implemented():
    blank_raises_not_implemented(check, REFERENCE, keywords=False)


# ----------------------------------------------------------------------------------------
# typical mistakes, each with a phrase the message must contain


def _rnn_cell_sigmoid(xt, a_prev, p):
    a_next = expit(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    return a_next, softmax(p["Wya"] @ a_next + p["by"], axis=0), (a_next, a_prev, xt, p)


def _rnn_cell_softmax_axis1(xt, a_prev, p):
    a_next, _, cache = rnn_cell_forward(xt, a_prev, p)
    return a_next, softmax(p["Wya"] @ a_next + p["by"], axis=1), cache


def _rnn_forward_always_a0(x, a0, p):
    a, y, caches = np.zeros((a0.shape[0],) + x.shape[1:]), [], []
    for t in range(x.shape[2]):
        a[:, :, t], yt, cache = rnn_cell_forward(x[:, :, t], a0, p)
        y.append(yt)
        caches.append(cache)
    return a, np.stack(y, axis=2), (caches, x)


def _lstm_cell_variant(order="ax", gate=expit, candidate=np.tanh, forget=True):
    def cell(xt, a_prev, c_prev, p):
        parts = [a_prev, xt] if order == "ax" else [xt, a_prev]
        concat = np.concatenate(parts, axis=0)
        ft, it = gate(p["Wf"] @ concat + p["bf"]), gate(p["Wi"] @ concat + p["bi"])
        cct, ot = candidate(p["Wc"] @ concat + p["bc"]), gate(p["Wo"] @ concat + p["bo"])
        c_next = (ft * c_prev if forget else 0) + it * cct
        a_next = ot * np.tanh(c_next)
        yt = softmax(p["Wy"] @ a_next + p["by"], axis=0)
        return a_next, c_next, yt, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)
    return cell


def _lstm_forward_forgetting_c(x, a0, p):
    a, y, c, caches = lstm_forward(x, a0, p)
    caches_list, a_prev = [], a0
    for t in range(x.shape[2]):
        a_prev, c[:, :, t], y[:, :, t], cache = lstm_cell_forward(
            x[:, :, t], a_prev, np.zeros_like(a0), p)
        a[:, :, t] = a_prev
        caches_list.append(cache)
    return a, y, c, (caches_list, x)


def _rnn_cell_no_tanh_factor(da_next, cache):
    a_next, a_prev, xt, p = cache
    return rnn_cell_backward(da_next, (np.zeros_like(a_next), a_prev, xt, p))


def _rnn_cell_mean(da_next, cache):
    return {k: v / da_next.shape[1] if k[1] in "Wb" else v
            for k, v in rnn_cell_backward(da_next, cache).items()}


def _rnn_backward_no_recurrence(da, caches):
    step_caches, x = caches
    grads = rnn_backward(da, caches)
    for t in range(x.shape[2]):
        grads["dx"][:, :, t] = rnn_cell_backward(da[:, :, t], step_caches[t])["dxt"]
    return grads


def _rnn_backward_last_weights_only(da, caches):
    step_caches, x = caches
    grads, da_prevt = {"dx": np.zeros(x.shape)}, np.zeros(da.shape[:2])
    for t in reversed(range(x.shape[2])):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        grads["dx"][:, :, t], da_prevt = g["dxt"], g["da_prev"]
        grads.update({k: g[k] for k in ("dWax", "dWaa", "dba")})  # = instead of +=
    grads["da0"] = da_prevt
    return grads


def _lstm_cell_no_a_path(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next  # forgets da_next * ot * (1 - tanh(c_next)**2)
    dzs = {"o": da_next * np.tanh(c_next) * ot * (1 - ot), "c": dc * it * (1 - cct**2),
           "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = sum(p["W" + g].T @ dz for g, dz in dzs.items())
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for g, dz in dzs.items():
        grads["dW" + g], grads["db" + g] = dz @ concat.T, dz.sum(axis=1, keepdims=True)
    return grads


def _lstm_cell_swapped_concat_grads(da_next, dc_next, cache):
    grads = lstm_cell_backward(da_next, dc_next, cache)
    n_a = da_next.shape[0]
    for g in "fico":
        W = grads["dW" + g]
        grads["dW" + g] = np.concatenate([W[:, n_a:], W[:, :n_a]], axis=1)  # [xt; a_prev]
    return grads


def _lstm_backward_no_dc(da, caches):
    step_caches, x = caches
    n_a, m, T = da.shape
    grads = {f"d{w}{g}": 0 for w in "Wb" for g in "fico"}
    dx, da_prevt = np.zeros(x.shape), np.zeros((n_a, m))
    for t in reversed(range(T)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, np.zeros((n_a, m)), step_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        grads = {k: v + g[k] for k, v in grads.items()}
    return {"dx": dx, "da0": da_prevt, **grads}


# more mistakes tried in the review of issue #14: each function is the reference with one
# change, named by `variant`


def _rnn_cell_variant(variant):
    def cell(xt, a_prev, p):
        Waa = p["Waa"].T if variant == "Waa.T" else p["Waa"]
        ba = 0 if variant == "no ba" else p["ba"]
        a_next = np.tanh(Waa @ a_prev + p["Wax"] @ xt + ba)
        state = a_prev if variant == "y from a_prev" else a_next
        z = p["Wya"] @ state + (0 if variant == "no by" else p["by"])
        yt = np.exp(z) / np.sum(np.exp(z)) if variant == "softmax over all" else softmax(z, axis=0)
        cache = (a_prev, a_next, xt, p) if variant == "cache order" else (a_next, a_prev, xt, p)
        return a_next, yt, cache
    return cell


def _rnn_forward_variant(variant):
    def forward(x, a0, p):
        n_x, m, T = x.shape
        n_y, n_a = p["Wya"].shape
        a, y, caches, a_next = np.zeros((n_a, m, T)), np.zeros((n_y, m, T)), [], a0
        steps = {"range(T - 1)": range(T - 1), "reversed": reversed(range(T))}.get(variant,
                                                                                  range(T))
        for t in steps:
            a_prev = a_next
            a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_prev, p)
            a[:, :, t] = a_prev if variant == "stores a_prev" else a_next
            if variant != "y not stored":
                y[:, :, t] = yt
            caches.append(cache)
        return a, y, caches if variant == "caches without x" else (caches, x)
    return forward


def _lstm_cell_output_variant(variant):
    def cell(xt, a_prev, c_prev, p):
        a_next, c_next, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, p)
        ft, it, cct, ot = cache[4:8]
        if variant == "swap ft, it":
            c_next = it * c_prev + ft * cct
        a_next = {"ot * c_next": ot * c_next, "tanh(c_prev)": ot * np.tanh(c_prev),
                  "tanh(ot * c_next)": np.tanh(ot * c_next)}.get(variant, ot * np.tanh(c_next))
        state = c_next if variant == "y from c_next" else a_next
        yt = softmax(p["Wy"] @ state + p["by"], axis=0)
        gates = (ft, it, ot, cct) if variant == "gates ft, it, ot, cct" else (ft, it, cct, ot)
        return a_next, c_next, yt, (a_next, c_next, a_prev, c_prev, *gates, xt, p)
    return cell


def _lstm_cell_forget_bias_bi(xt, a_prev, c_prev, p):
    return lstm_cell_forward(xt, a_prev, c_prev, {**p, "bf": p["bi"]})


def _lstm_forward_variant(variant):
    def forward(x, a0, p):
        n_x, m, T = x.shape
        n_y, n_a = p["Wy"].shape
        a, c, y, caches = np.zeros((n_a, m, T)), np.zeros((n_a, m, T)), np.zeros((n_y, m, T)), []
        a_next, c_next = a0, (a0.copy() if variant == "c0 = a0" else np.zeros((n_a, m)))
        for t in range(T - 1) if variant == "range(T - 1)" else range(T):
            a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, p)
            a[:, :, t], y[:, :, t] = a_next, yt
            c[:, :, t] = a_next if variant == "c stores a" else c_next
            caches.append(cache)
        return (a, c, y, (caches, x)) if variant == "returns a, c, y" else (a, y, c, (caches, x))
    return forward


def _rnn_cell_backward_variant(variant):
    def backward(da_next, cache):
        a_next, a_prev, xt, p = cache
        slope = {"1 - tanh(a_next)**2": 1 - np.tanh(a_next) ** 2,
                 "1 - a_prev**2": 1 - a_prev**2}.get(variant, 1 - a_next**2)
        dz = da_next * slope
        g = rnn_cell_backward(da_next, cache)
        g.update({"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
                  "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)})
        changed = {"da_prev = Waa dz": ("da_prev", lambda: p["Waa"] @ dz),
                   "dba without keepdims": ("dba", lambda: dz.sum(axis=1)),
                   "dba over axis 0": ("dba", lambda: dz.sum(axis=0, keepdims=True)),
                   "dWax = xt dz^T": ("dWax", lambda: xt @ dz.T),
                   "dWaa = dz a_next^T": ("dWaa", lambda: dz @ a_next.T),
                   "dba mean": ("dba", lambda: dz.mean(axis=1, keepdims=True))}
        if variant in changed:
            key, value = changed[variant]
            g[key] = value()
        return g
    return backward


def _rnn_backward_variant(variant):
    def backward(da, caches):
        step_caches, x = caches
        n_x, m, T = x.shape
        p = step_caches[0][3]
        dx = np.zeros((n_x, m, T))
        grads = {k: np.zeros_like(p[k[1:]]) for k in ("dWax", "dWaa", "dba")}
        da_prevt = np.zeros(da.shape[:2])
        if variant == "starts from da[-1]":
            da_prevt = da[:, :, -1].copy()
        for t in range(T) if variant == "forward in time" else reversed(range(T)):
            incoming = da_prevt if variant == "ignores da[:, :, t]" else da[:, :, t] + da_prevt
            g = rnn_cell_backward(incoming, step_caches[t - 1 if variant == "caches[t - 1]" else t])
            dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
            grads = {k: v + g[k] for k, v in grads.items()}
        if variant == "divided by T_x":
            grads = {k: v / T for k, v in grads.items()}
        da0 = da[:, :, 0] if variant == "da0 = da[:, :, 0]" else da_prevt
        return {"dx": dx, "da0": da0, **grads}
    return backward


def _lstm_cell_backward_variant(variant):
    def backward(da_next, dc_next, cache):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
        n_a = a_next.shape[0]
        tanh_c = np.tanh(c_next)
        out_gate = 1 if variant == "dc without ot" else ot
        dc = dc_next + da_next * out_gate * (1 - tanh_c**2)
        slope_o = 1 if variant == "dot without ot(1 - ot)" else ot * (1 - ot)
        dzs = {"o": da_next * tanh_c * slope_o,
               "c": dc * it * (1 - (np.tanh(cct) if variant == "1 - tanh(cct)**2" else cct) ** 2),
               "i": dc * cct * it * (1 - it),
               "f": dc * (c_next if variant == "dft with c_next" else c_prev) * ft * (1 - ft)}
        concat = np.concatenate([a_prev, xt], axis=0)
        dconcat = sum(p["W" + g].T @ dz for g, dz in dzs.items()
                      if not (g == "o" and variant == "dconcat without Wo"))
        grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a],
                 "dc_prev": (dc_next if variant == "dc_prev = dc_next * ft" else dc) * ft}
        for g, dz in dzs.items():
            grads["dW" + g] = dz @ concat.T
            grads["db" + g] = dz.sum(axis=1, keepdims=variant != "db without keepdims")
        if variant == "f and i swapped":
            for w in "Wb":
                grads[f"d{w}f"], grads[f"d{w}i"] = grads[f"d{w}i"], grads[f"d{w}f"]
        return grads
    return backward


def _lstm_backward_variant(variant):
    def backward(da, caches):
        step_caches, x = caches
        n_a, m, T = da.shape
        grads = {f"d{w}{g}": 0 for w in "Wb" for g in "fico"}
        dx, da_prevt, dc_prevt = np.zeros(x.shape), np.zeros((n_a, m)), np.zeros((n_a, m))
        for t in range(T) if variant == "forward in time" else reversed(range(T)):
            incoming = da_prevt if variant == "ignores da[:, :, t]" else da[:, :, t] + da_prevt
            g = lstm_cell_backward(incoming, dc_prevt, step_caches[t])
            dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
            dc_prevt = g["da_prev"] if variant == "dc_prevt = da_prev" else g["dc_prev"]
            grads = {k: g[k] if variant == "= instead of +=" else v + g[k]
                     for k, v in grads.items()}
        if variant == "dx shifted":
            dx = np.roll(dx, 1, axis=2)
        return {"dx": dx, "da0": da_prevt, **grads}
    return backward


WRONG = [
    ("rnn_cell_forward", _rnn_cell_sigmoid, "np.tanh"),
    ("rnn_cell_forward", _rnn_cell_softmax_axis1, "axis 0"),
    ("rnn_forward", _rnn_forward_always_a0, "not a0 every"),
    ("lstm_cell_forward", _lstm_cell_variant(order="xa"), "a_prev on top"),
    ("lstm_cell_forward", _lstm_cell_variant(gate=np.tanh, candidate=expit), "sigmoid"),
    ("lstm_cell_forward", _lstm_cell_variant(forget=False), "ft * c_prev"),
    ("lstm_forward", _lstm_forward_forgetting_c, "c_next of step t"),
    ("rnn_cell_backward", _rnn_cell_no_tanh_factor, "1 - a_next**2"),
    ("rnn_cell_backward", _rnn_cell_mean, "do not divide by m"),
    ("rnn_backward", _rnn_backward_no_recurrence, "da[:, :, t] + da_prevt"),
    ("rnn_backward", _rnn_backward_last_weights_only, "+="),
    ("lstm_cell_backward", _lstm_cell_no_a_path, "ot * (1 - tanh(c_next)**2)"),
    ("lstm_cell_backward", _lstm_cell_swapped_concat_grads, "a_prev on top"),
    ("lstm_backward", _lstm_backward_no_dc, "dc_prevt"),
    # review of issue #14
    ("rnn_cell_forward", _rnn_cell_variant("Waa.T"), "Waa.T"),
    ("rnn_cell_forward", _rnn_cell_variant("no ba"), "forgot the bias ba"),
    ("rnn_cell_forward", _rnn_cell_variant("y from a_prev"), "not a_prev"),
    ("rnn_cell_forward", _rnn_cell_variant("no by"), "forgot the bias by"),
    ("rnn_cell_forward", _rnn_cell_variant("softmax over all"), "axis 0"),
    ("rnn_cell_forward", _rnn_cell_variant("cache order"), "in that order"),
    ("rnn_forward", _rnn_forward_variant("range(T - 1)"), "range(T_x - 1)"),
    ("rnn_forward", _rnn_forward_variant("stores a_prev"), "NEW state"),
    ("rnn_forward", _rnn_forward_variant("reversed"), "x[:, :, 0]"),
    ("rnn_forward", _rnn_forward_variant("y not stored"), "softmax"),
    ("rnn_forward", _rnn_forward_variant("caches without x"), "(list of the step caches, x)"),
    ("lstm_cell_forward", _lstm_cell_output_variant("ot * c_next"), "tanh of the new cell"),
    ("lstm_cell_forward", _lstm_cell_output_variant("tanh(c_prev)"), "tanh of the new cell"),
    ("lstm_cell_forward", _lstm_cell_output_variant("tanh(ot * c_next)"), "ot * tanh(c_next)"),
    ("lstm_cell_forward", _lstm_cell_output_variant("swap ft, it"), "swapped ft and it"),
    ("lstm_cell_forward", _lstm_cell_output_variant("y from c_next"), "not the cell state"),
    ("lstm_cell_forward", _lstm_cell_output_variant("gates ft, it, ot, cct"), "cct uses np.tanh"),
    ("lstm_cell_forward", _lstm_cell_forget_bias_bi, "sigmoid(Wf concat + bf)"),
    ("lstm_forward", _lstm_forward_variant("c0 = a0"), "memory starts empty"),
    ("lstm_forward", _lstm_forward_variant("range(T - 1)"), "range(T_x - 1)"),
    ("lstm_forward", _lstm_forward_variant("c stores a"), "holds the hidden state"),
    ("lstm_forward", _lstm_forward_variant("returns a, c, y"), "y stacks the outputs"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("1 - tanh(a_next)**2"), "1 - a_next**2"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("1 - a_prev**2"), "1 - a_next**2"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("da_prev = Waa dz"), "Waa^T dz"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("dba without keepdims"), "keepdims=True"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("dba over axis 0"), "axis=1"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("dWax = xt dz^T"), "shape of Wax"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("dWaa = dz a_next^T"), "dz a_prev^T"),
    ("rnn_cell_backward", _rnn_cell_backward_variant("dba mean"), "do not divide by m"),
    ("rnn_backward", _rnn_backward_variant("starts from da[-1]"), "walk backwards"),
    ("rnn_backward", _rnn_backward_variant("forward in time"), "walk backwards"),
    ("rnn_backward", _rnn_backward_variant("caches[t - 1]"), "walk backwards"),
    ("rnn_backward", _rnn_backward_variant("ignores da[:, :, t]"), "da[:, :, T_x - 1]"),
    ("rnn_backward", _rnn_backward_variant("da0 = da[:, :, 0]"), "da0 is the da_prevt"),
    ("rnn_backward", _rnn_backward_variant("divided by T_x"), "dWax += ..."),
    ("lstm_cell_backward", _lstm_cell_backward_variant("dc without ot"), "da_next * ot"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("dot without ot(1 - ot)"),
     "ot * (1 - ot)"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("1 - tanh(cct)**2"), "1 - cct**2"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("dft with c_next"), "dc * c_prev"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("dc_prev = dc_next * ft"),
     "dc_prev = dc * ft"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("dconcat without Wo"), "Wo^T dot"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("db without keepdims"), "keepdims=True"),
    ("lstm_cell_backward", _lstm_cell_backward_variant("f and i swapped"), "dft = dc * c_prev"),
    ("lstm_backward", _lstm_backward_variant("forward in time"), "walk backwards"),
    ("lstm_backward", _lstm_backward_variant("ignores da[:, :, t]"), "walk backwards"),
    ("lstm_backward", _lstm_backward_variant("dc_prevt = da_prev"), "keep its da_prev and dc_prev"),
    ("lstm_backward", _lstm_backward_variant("= instead of +="), "dWf += ..."),
    ("lstm_backward", _lstm_backward_variant("dx shifted"), "dx[:, :, t]"),
]


@pytest.mark.parametrize(("name", "wrong", "word"), WRONG,
                         ids=[f"{n}-{w}" for n, _, w in WRONG])
def test_typical_mistakes_fail_with_a_useful_message(name, wrong, word, capsys):
    mistake_is_caught(check, name, wrong, word)
    assert "passed" not in capsys.readouterr().out
