"""Checks for Course 3, week 2: two case studies, one decision per graded function.

Each graded function takes no argument and returns a decision: the letter of an option, the
name of a model or of an error category, or a number computed from the scenario's tables.
The scenarios' numbers and options live in ``datasets/case_studies/scenarios.toml``, which
the notebook shows and this module reads (``utils.data.case_studies.load_case_studies``);
only the logic is here. Each check calls the learner's function first, then recomputes the
right decision from those numbers (filter and arg-max for the model table, the error gaps
for the diagnosis, the error-analysis ceilings, the sample-size formula, ...): that
computation is the oracle. A passing check prints why the right decision is right and why
the tempting wrong ones are wrong, with the numbers; a wrong decision raises
``CheckFailure`` saying why that choice does not fit the numbers and where to look, without
naming the right option.
"""

import math
import textwrap

import numpy as np

from utils.checks.harness import Checker
from utils.data.case_studies import load_case_studies

# The scenarios' numbers and options, read from the file the notebook shows them from.
_SCENARIOS = load_case_studies()
STETHOSCOPE = _SCENARIOS["stethoscope"]  # case study 1: chest sounds, Harbourview Hospital
ROBOT = _SCENARIOS["sorting_robot"]  # case study 2: sorting robot, Eastbank recycling plant
OPTIONS = {**STETHOSCOPE["options"], **ROBOT["options"]}  # decision -> {letter: text}


# ========================================================================================
# helpers


def _letter(check, fn, options, right, why_wrong, hint):
    """Call ``fn``; check it returns one of ``options`` and that it is ``right``."""
    got = check.call(fn)
    check.type_is("the returned choice", got, str,
                  hint='return the letter of your choice as a string, e.g. return "A".')
    letter = got.strip().upper()
    check.that("the returned choice is one of the options", letter in options, repr(got),
               " or ".join(repr(k) for k in options),
               hint="return just the letter of one of the options listed above the cell.")
    check.that("the decision", letter == right, repr(got),
               "the option the scenario's numbers support",
               hint=f"{why_wrong.get(letter, '')} {hint}".strip())
    return letter


def _name(check, fn, names, right, why_wrong, hint, kind):
    """Call ``fn``; check it returns one of ``names`` (a model or category) and that it is
    ``right``."""
    got = check.call(fn)
    check.type_is(f"the returned {kind}", got, str,
                  hint=f"return the {kind}'s name as a string, exactly as in the table.")
    name = got.strip().lower()
    check.that(f"the returned {kind} is in the table", name in names, repr(got),
               ", ".join(repr(n) for n in names),
               hint=f"return one of the {kind} names exactly as they are spelled in the table.")
    check.that("the decision", name == right, repr(got),
               f"the {kind} the scenario's numbers select",
               hint=f"{why_wrong.get(name, '')} {hint}".strip())
    return name


def _number(check, fn, expected, atol, known_wrong, hint, what):
    """Call ``fn``; check it returns a real number within ``atol`` of ``expected``. When it
    matches one of ``known_wrong`` (value, message) pairs, the message says what went
    wrong."""
    got = check.call(fn)
    check.number(what, got)
    value = float(got)
    check.that(f"{what} is finite", bool(np.isfinite(value)), repr(value), "a finite number",
               hint="compute the number from the scenario's variables; it cannot be nan or inf.")
    ok = abs(value - expected) <= atol
    message = hint
    if not ok:
        for wrong, why in known_wrong:
            if abs(value - wrong) <= atol:
                message = f"{why} {hint}"
                break
    check.that(f"value of {what}", ok, f"{value:.6g}", "the value the scenario's numbers give",
               hint=message)
    return value


def _say(lines):
    """Print explanation lines, wrapped to fit a notebook cell."""
    for line in lines:
        print(textwrap.fill(line, width=92, subsequent_indent="    "))


def _pct(share):
    return f"{100 * share:.1f}%"


# ========================================================================================
# Case study 1 oracles


def _accuracy(row):
    prevalence = STETHOSCOPE["prevalence"]
    return prevalence * row["sensitivity"] + (1 - prevalence) * (1 - row["false_alarm_rate"])


def _feasible():
    models = STETHOSCOPE["models"]
    max_false_alarm = STETHOSCOPE["max_false_alarm"]
    max_latency_ms = STETHOSCOPE["max_latency_ms"]
    return [n for n, r in models.items()
            if r["false_alarm_rate"] <= max_false_alarm and r["latency_ms"] <= max_latency_ms]


def _best_model():
    models = STETHOSCOPE["models"]
    return max(_feasible(), key=lambda n: models[n]["sensitivity"])


def _combined_score_pick():
    models = STETHOSCOPE["models"]

    def score(n):
        r = models[n]
        return r["sensitivity"] - r["false_alarm_rate"] - r["latency_ms"] / 1000
    return max(models, key=score)


def _fewest_alarms_pick():
    models = STETHOSCOPE["models"]
    max_latency_ms = STETHOSCOPE["max_latency_ms"]
    min_sensitivity = STETHOSCOPE["setup_b_min_sensitivity"]
    ok = [n for n, r in models.items()
          if r["sensitivity"] >= min_sensitivity and r["latency_ms"] <= max_latency_ms]
    return min(ok, key=lambda n: models[n]["false_alarm_rate"])


def _clips_per_eval_set():
    """S2 clips needed in one evaluation set so the sensitivity's standard error is
    target_se: n_abnormal = p(1 - p) / se^2 abnormal clips, i.e. n_abnormal / prevalence
    clips, rounded up."""
    target_se = STETHOSCOPE["target_se"]
    prevalence = STETHOSCOPE["prevalence"]
    p = STETHOSCOPE["expected_sensitivity"]
    abnormal = p * (1 - p) / target_se**2
    return math.ceil(round(abnormal / prevalence, 6))


def _s2_for_training():
    s2_clips = STETHOSCOPE["s2_clips"]
    return s2_clips - 2 * _clips_per_eval_set()


def _gaps():
    errors = STETHOSCOPE["errors"]
    return {
        "avoidable bias": errors["train"] - errors["human level"],
        "variance": errors["train-dev"] - errors["train"],
        "data mismatch": errors["dev"] - errors["train-dev"],
        "overfitting to dev": errors["test"] - errors["dev"],
    }


_PROBLEM_OF_OPTION = {"A": "variance", "B": "overfitting to dev", "C": "avoidable bias",
                      "D": "data mismatch"}


def _ceilings(tally, reviewed, dev_error):
    return {c: dev_error * n / reviewed for c, n in tally.items()}


# ----------------------------------------------------------------------------------------
# Case study 1 checks


def choose_metric_setup(fn):
    """Check the evaluation set-up: optimise sensitivity, satisfice false alarms and latency.

    The explanation uses only the clinical lead's numbers, not the model table, which the
    notebook shows later (decision 4): naming the models here would give that decision away.
    """
    prevalence = STETHOSCOPE["prevalence"]
    max_latency_ms = STETHOSCOPE["max_latency_ms"]
    max_false_alarm = STETHOSCOPE["max_false_alarm"]
    check = Checker("choose_metric_setup")
    never_flag = 1 - prevalence
    right = "C"  # the requirements name one error to minimise and two limits to respect
    why_wrong = {
        "A": f"{_pct(1 - prevalence)} of the clips are normal, so a 'model' that never flags "
             f"anything already scores accuracy {never_flag:.3f} while missing every abnormal "
             "clip.",
        "B": "The clinical lead said which error is the costly one, and it is not the false "
             "alarm: false alarms only have to stay under the ward's limit.",
        "D": "Adding sensitivity, false-alarm rate and seconds fixes an arbitrary exchange "
             "rate between them: 0.1 s of latency would weigh as much as 10 points of "
             f"sensitivity, although every latency under {max_latency_ms} ms is equally "
             "good for the tablet.",
    }
    _letter(check, fn, OPTIONS["choose_metric_setup"], right, why_wrong,
            "Which quantity did the clinical lead want as good as possible, and which "
            "ones only need to stay within a limit?")
    _say([
        "Why C: one error must be as rare as possible (a missed abnormal clip), so "
        "sensitivity is the optimising metric; the ward's review capacity "
        f"(false-alarm rate <= {max_false_alarm:.2f}) and the tablet "
        f"(<= {max_latency_ms} ms) are limits that only have to be met: satisficing metrics.",
        f"Why not accuracy: {_pct(1 - prevalence)} of clips are normal, so flagging nothing "
        f"scores {never_flag:.3f}.",
        "Why not fewest false alarms (B): it optimises the cheap error and only puts a floor "
        "under the costly one, so it would give up sensitivity to save alarms the ward "
        "could have absorbed.",
        "Why not a combined score (D): its made-up exchange rate makes 0.1 s of latency "
        "weigh as much as 10 points of sensitivity, although any latency under "
        f"{max_latency_ms} ms is equally good.",
    ])
    check.done()


def choose_model(fn):
    """Check the model choice: best sensitivity among the models that meet both limits."""
    models = STETHOSCOPE["models"]
    max_false_alarm = STETHOSCOPE["max_false_alarm"]
    max_latency_ms = STETHOSCOPE["max_latency_ms"]
    check = Checker("choose_model")
    right = _best_model()
    by_accuracy = max(models, key=lambda n: _accuracy(models[n]))
    why_wrong = {}
    for name, row in models.items():
        reasons = []
        if row["false_alarm_rate"] > max_false_alarm:
            reasons.append(f"its false-alarm rate {row['false_alarm_rate']:.2f} is above the "
                           f"limit {max_false_alarm:.2f}")
        if row["latency_ms"] > max_latency_ms:
            reasons.append(f"its latency {row['latency_ms']} ms is above the limit "
                           f"{max_latency_ms} ms")
        if reasons:
            why_wrong[name] = f"{name} cannot be deployed: " + " and ".join(reasons) + "."
        elif name != right:
            why_wrong[name] = (f"{name} meets both limits, but another model that also meets "
                               f"them finds more abnormal clips than its "
                               f"{row['sensitivity']:.2f}.")
        if name == by_accuracy and name != right:
            why_wrong[name] += (f" It has the best accuracy ({_accuracy(row):.4f}), but "
                                "accuracy is not the metric you chose.")
    _name(check, fn, list(models), right, why_wrong,
          "First drop every model that breaks a satisficing limit, then take the best "
          "optimising metric among the models left.", "model")
    feasible = _feasible()
    lines = [
        f"Models within both limits: {', '.join(feasible)}.",
        f"Best sensitivity among them: {right} ({models[right]['sensitivity']:.2f}).",
    ]
    for name, row in models.items():
        if name not in feasible:
            lines.append(f"Not {name}: {why_wrong[name][len(name) + 1:]}")
        elif name != right:
            lines.append(f"Not {name}: it meets both limits but finds only "
                         f"{row['sensitivity']:.2f} of the abnormal clips.")
    top_accuracy = _accuracy(models[by_accuracy])
    rejected = {  # the set-ups turned down in decision 1, and the model each would pick
        f"accuracy alone (set-up A of decision 1, accuracy {top_accuracy:.4f})": by_accuracy,
        "fewest false alarms (set-up B)": _fewest_alarms_pick(),
        "the combined score (set-up D)": _combined_score_pick(),
    }
    for pick in dict.fromkeys(v for v in rejected.values() if v != right):
        setups = " and ".join(k for k, v in rejected.items() if v == pick)
        verb = "would both have chosen" if " and " in setups else "would have chosen"
        lines.append(f"{setups[0].upper()}{setups[1:]} {verb} {pick}, which misses "
                     f"{_pct(1 - models[pick]['sensitivity'])} of abnormal clips.")
    _say(lines)
    check.done()


def choose_split(fn):
    """Check the split: dev and test from the S2 (target) clips, leftovers into training."""
    s2_clips = STETHOSCOPE["s2_clips"]
    s1_clips = STETHOSCOPE["s1_clips"]
    prevalence = STETHOSCOPE["prevalence"]
    check = Checker("choose_split")
    s2_share = s2_clips / (s1_clips + s2_clips)
    pooled_dev = round(STETHOSCOPE["setup_a_dev_share"] * (s1_clips + s2_clips))
    pooled_s2 = round(pooled_dev * s2_share)
    pooled_abnormal = round(pooled_s2 * prevalence)
    s1_share = s1_clips / (s1_clips + s2_clips)
    right = "B"  # dev/test = the distribution you will deploy on; extra data goes to training
    why_wrong = {
        "A": f"Only {_pct(s2_share)} of the pooled clips come from S2: a 2% dev set of "
             f"{pooled_dev:,} clips would hold about {pooled_s2} S2 clips, about "
             f"{pooled_abnormal} of them abnormal. You would be tuning for the old "
             "stethoscope.",
        "C": "The test set would measure the stethoscope you are retiring, and dev and test "
             "would come from different distributions: a model tuned on dev could disappoint "
             "on test for reasons you could not tell apart.",
        "D": f"That throws away {s1_clips:,} clips ({_pct(s1_share)} of the labelled audio); "
             "old-stethoscope clips still teach what crackles and wheezes sound like.",
    }
    _letter(check, fn, OPTIONS["choose_split"], right, why_wrong,
            "Which data do the dev and test sets have to look like, and what is the best "
            "use of data that does not look like it?")
    _say([
        "Why B: dev and test are the target you aim at, so both must look like the data "
        "the model will meet on the wards: S2 clips. The S1 clips are still useful as "
        "training data.",
        f"Why not pool and shuffle (A): only {_pct(s2_share)} of the pooled clips are S2, "
        f"so a 2% dev set of {pooled_dev:,} clips would hold about {pooled_s2} S2 clips.",
        "Why not test on S1 (C): dev and test from different distributions, and the test "
        "score would describe the retired stethoscope.",
        f"Why not drop S1 (D): it discards {_pct(s1_share)} of the labelled clips.",
    ])
    check.done()


def s2_clips_for_training(fn):
    """Check the number of S2 clips left for training after sizing the dev and test sets."""
    target_se = STETHOSCOPE["target_se"]
    s2_clips = STETHOSCOPE["s2_clips"]
    prevalence = STETHOSCOPE["prevalence"]
    check = Checker("s2_clips_for_training")
    got = check.call(fn)
    p = STETHOSCOPE["expected_sensitivity"]
    abnormal = p * (1 - p) / target_se**2
    per_set = _clips_per_eval_set()
    expected = _s2_for_training()
    known_wrong = [
        (s2_clips - per_set, "That leaves room for a dev set but not for a test set of the "
                             "same size."),
        (per_set, "That is the size of one evaluation set, not what is left for training."),
        (s2_clips - 2 * math.ceil(abnormal), "That counts abnormal clips as if every clip "
                                             f"were abnormal: only {prevalence:.0%} of clips "
                                             "are."),
        (s2_clips - 2 * math.ceil(p * (1 - p) / target_se / prevalence),
         "The standard error is squared in n = p(1 - p) / se^2."),
        (s2_clips - 2 * math.ceil(math.sqrt(p * (1 - p)) / target_se / prevalence),
         "Square both sides of se = sqrt(p(1 - p) / n) before solving: n = p(1 - p) / se^2."),
        (s2_clips - 2 * math.ceil(abnormal * prevalence),
         f"Divide by the prevalence, do not multiply: n abnormal clips come with about "
         f"n / {prevalence:.2f} clips in all."),
        (2 * per_set, "That is the size of dev and test together, not what is left for "
                      "training."),
    ]
    _number(check, lambda: got, expected, 30, known_wrong,
            "Find how many abnormal clips make the standard error sqrt(p(1 - p) / n) equal "
            "to the target, turn that into clips with the prevalence, and remember that "
            "dev and test both need that many.", "s2_clips_for_training()")
    _say([
        f"abnormal clips per set: n = p(1 - p) / se^2 = {p:.2f} x {1 - p:.2f} / "
        f"{target_se:.2f}^2 = {abnormal:.0f}",
        f"clips per set: {abnormal:.0f} / {prevalence:.2f} = {abnormal / prevalence:.1f}, "
        f"rounded up to {per_set:,}",
        f"left for training: {s2_clips:,} - 2 x {per_set:,} = {expected:,} S2 clips "
        f"(answers within 30 clips of it are accepted)",
        "A bigger dev set would not make the model better, only its measurement more "
        "precise; the rest of the S2 clips teach the model what S2 sounds like.",
    ])
    check.done()


def data_mismatch_gap(fn):
    """Check the data-mismatch gap: dev error minus train-dev error."""
    errors = STETHOSCOPE["errors"]
    check = Checker("data_mismatch_gap")
    got = check.call(fn)
    gaps = _gaps()
    expected = gaps["data mismatch"]
    known_wrong = [
        (errors["dev"] - errors["train"], "dev - train mixes two gaps: variance and data "
                                          "mismatch."),
        (-expected, "The sign is reversed: the gap is how much worse dev is."),
        (expected / 100, "The errors are given in percent: keep the gap in percentage "
                         "points."),
        (errors["test"] - errors["train-dev"], "Use the dev error, not the test error."),
        (gaps["variance"], "That is train-dev - train, the variance."),
        (errors["dev"] - errors["human level"], "That is the whole distance from human level "
                                                "to dev, every gap at once."),
        (gaps["overfitting to dev"], "That is test - dev, overfitting to the dev set."),
    ]
    _number(check, lambda: got, expected, 1e-6, known_wrong,
            "Which two error rates are measured on data the model never trained on, one from "
            "the training distribution and one from the target distribution?",
            "data_mismatch_gap()")
    _say([
        f"data mismatch = dev - train-dev = {errors['dev']:.1f} - {errors['train-dev']:.1f} "
        f"= {expected:.1f} points",
        "Both sets are unseen by the model; only their distribution differs, so the gap "
        "measures the change of stethoscope.",
    ])
    check.done()


def biggest_problem(fn):
    """Check the diagnosis: the largest of the four gaps."""
    errors = STETHOSCOPE["errors"]
    check = Checker("biggest_problem")
    gaps = _gaps()
    largest = max(gaps, key=gaps.get)
    right = next(k for k, v in _PROBLEM_OF_OPTION.items() if v == largest)
    why_wrong = {}
    for letter, problem in _PROBLEM_OF_OPTION.items():
        why_wrong[letter] = f"The {problem} gap is {gaps[problem]:.1f} points."
    why_wrong["A"] += (f" Without a train-dev set, dev - train = "
                       f"{errors['dev'] - errors['train']:.1f} would look like variance; the "
                       "train-dev set splits it in two.")
    _letter(check, fn, OPTIONS["biggest_problem"], right, why_wrong,
            "Work out all four gaps between neighbouring rows of the error table and "
            "compare them.")
    _say([f"{problem:>20}: {gap:4.1f} points" for problem, gap in gaps.items()] + [
        f"The largest gap is {largest} ({gaps[largest]:.1f} points), so work on making the "
        "training data more like S2 data.",
        f"Without the train-dev set, dev - train = {errors['dev'] - errors['train']:.1f} "
        "would look like variance, and weeks of regularisation would leave it untouched.",
    ])
    check.done()


def error_analysis_ceiling(fn):
    """Check the ceiling: the most that fixing one error category could gain on dev."""
    tally_clips = STETHOSCOPE["tally_clips"]
    clips_reviewed = STETHOSCOPE["clips_reviewed"]
    errors = STETHOSCOPE["errors"]
    check = Checker("error_analysis_ceiling")
    got = check.call(fn)
    ceilings = _ceilings(tally_clips, clips_reviewed, errors["dev"])
    top = max(ceilings, key=ceilings.get)
    expected = ceilings[top]
    n_tags = sum(tally_clips.values())
    known_wrong = [
        (errors["dev"] * tally_clips[top] / n_tags,
         f"The tags add up to {n_tags}, more than the {clips_reviewed} clips, because a clip "
         "can carry several: divide by the number of clips reviewed."),
        (tally_clips[top] / clips_reviewed,
         "That is a share of the errors; the ceiling is in points of dev error."),
        (100 * tally_clips[top] / clips_reviewed,
         "That is the share of errors in percent; multiply the share by the dev error."),
        (errors["dev"] - expected, "That is the dev error left after a perfect fix, E (1 - s); "
                                   "the ceiling is what the fix removes, s E."),
        (errors["test"] * tally_clips[top] / clips_reviewed,
         "The clips were reviewed from the dev set: use the dev error, not the test error."),
    ]
    _number(check, lambda: got, expected, 1e-6, known_wrong,
            "A category seen in a share s of the reviewed errors can remove at most s times "
            "the dev error; take the category with the largest ceiling.",
            "error_analysis_ceiling()")
    _say([f"{c:>21}: {n:3d} / {clips_reviewed} x {errors['dev']:.1f} = {v:.2f} points"
          for (c, n), v in zip(tally_clips.items(), ceilings.values(), strict=True)] + [
        f"Fixing {top} perfectly would bring dev error from {errors['dev']:.1f}% down to "
        f"{errors['dev'] - expected:.2f}% at best; fixing the label errors could gain only "
        f"{ceilings['probable label error']:.2f} points.",
    ])
    check.done()


def synthesis_plan(fn):
    """Check the plan against data mismatch: varied synthetic noise, verified on dev."""
    s1_clips = STETHOSCOPE["s1_clips"]
    clip_seconds = STETHOSCOPE["clip_seconds"]
    noise_minutes = STETHOSCOPE["noise_minutes"]
    check = Checker("synthesis_plan")
    s1_hours = s1_clips * clip_seconds / 3600
    reuse = s1_hours * 60 / noise_minutes
    gaps = _gaps()
    right = "A"
    why_wrong = {
        "B": f"The S1 clips hold {s1_hours:.0f} hours of audio; {noise_minutes} minutes of "
             f"noise would be replayed about {reuse:,.0f} times, and the network can learn that "
             "one recording instead of handling noise in general.",
        "C": "Dev clips in the training set make the dev error an optimistic, useless "
             "measurement: the dev set must stay unseen.",
        "D": f"Avoidable bias is only {gaps['avoidable bias']:.1f} points; a bigger network "
             f"does not touch a {gaps['data mismatch']:.1f}-point data mismatch.",
    }
    _letter(check, fn, OPTIONS["synthesis_plan"], right, why_wrong,
            "Synthesised data should cover the variety of the real thing, and you need a way "
            "to see whether it worked.")
    _say([
        "Why A: artificial data synthesis makes training clips sound like S2 clips, and "
        "varied noise keeps the network from memorising one recording; the train-dev vs "
        "dev gap tells you whether the mismatch shrinks.",
        f"Why not 20 minutes (B): {s1_hours:.0f} hours of S1 audio would replay each second "
        f"of that noise about {reuse:,.0f} times; to a person it sounds fine, but the "
        "network can overfit to it.",
        "Why not C: the dev set must stay unseen, or its error stops meaning anything.",
        f"Why not D: avoidable bias is {gaps['avoidable bias']:.1f} points, data mismatch "
        f"{gaps['data mismatch']:.1f}.",
    ])
    check.done()


# ========================================================================================
# Case study 2 oracles


def _bayes_proxy():
    human_errors = ROBOT["human_errors"]
    return min(human_errors, key=human_errors.get)


def _avoidable_bias_v1():
    model_v1 = ROBOT["model_v1"]
    human_errors = ROBOT["human_errors"]
    return model_v1["train"] - human_errors[_bayes_proxy()]


def _variance_v1():
    model_v1 = ROBOT["model_v1"]
    return model_v1["dev"] - model_v1["train"]


# ----------------------------------------------------------------------------------------
# Case study 2 checks


def avoidable_bias_v1(fn):
    """Check model v1's avoidable bias, measured from the best human-level estimate."""
    model_v1 = ROBOT["model_v1"]
    human_errors = ROBOT["human_errors"]
    check = Checker("avoidable_bias_v1")
    got = check.call(fn)
    expected = _avoidable_bias_v1()
    proxy = _bayes_proxy()
    known_wrong = [(model_v1["train"] - err, f"That measures from the {who} "
                                             f"({err:.1f}%), not from the best human level.")
                   for who, err in human_errors.items() if who != proxy]
    known_wrong += [
        (_variance_v1(), "That is dev - train, the variance."),
        (model_v1["dev"] - human_errors[proxy], "Avoidable bias uses the training error, not "
                                                "the dev error."),
        (-expected, "The sign is reversed: avoidable bias is how much worse the model is."),
        (expected / 100, "The errors are in percent: keep the result in percentage points."),
        (model_v1["train"] - sum(human_errors.values()) / len(human_errors),
         "That measures from the average of the people; Bayes error is at most the best "
         "of them."),
    ]
    _number(check, lambda: got, expected, 1e-6, known_wrong,
            "Avoidable bias = training error - the best estimate of Bayes error; which human "
            "error rate is the best estimate?", "avoidable_bias_v1()")
    _say([
        f"Best human level: {proxy} at {human_errors[proxy]:.1f}% (Bayes error is at most "
        "this).",
        f"avoidable bias = {model_v1['train']:.1f} - {human_errors[proxy]:.1f} = "
        f"{expected:.1f} points; variance = {model_v1['dev']:.1f} - "
        f"{model_v1['train']:.1f} = {_variance_v1():.1f} points.",
        f"Measured from the experienced sorter ({human_errors['experienced sorter']:.1f}%), "
        f"the avoidable bias would look like only "
        f"{model_v1['train'] - human_errors['experienced sorter']:.1f} points.",
    ])
    check.done()


def next_focus(fn):
    """Check the next step for model v1: the larger of avoidable bias and variance."""
    human_errors = ROBOT["human_errors"]
    model_v1 = ROBOT["model_v1"]
    check = Checker("next_focus")
    bias, var = _avoidable_bias_v1(), _variance_v1()
    right = "C" if bias > var else "A"
    sorter = human_errors["experienced sorter"]
    why_wrong = {
        "A": f"Variance (dev - train) is only {var:.1f} points.",
        "B": f"Humans can reach {human_errors[_bayes_proxy()]:.1f}%, so being near one "
             f"experienced sorter ({sorter:.1f}%) is not a sign that little is left to gain.",
        "D": "Nothing in the numbers says the dev set is too small or over-used; the gaps "
             "between the error rates say where to work.",
    }
    why_wrong[right] = ""
    _letter(check, fn, OPTIONS["next_focus"], right, why_wrong,
            "Compare the avoidable bias with the variance; the larger gap is the one to "
            "work on.")
    with_sorter = model_v1["train"] - sorter
    _say([
        f"avoidable bias {bias:.1f} points > variance {var:.1f} points: focus on bias "
        "(bigger network, longer training, better architecture).",
        f"With the experienced sorter as the yardstick, avoidable bias would be "
        f"{with_sorter:.1f} < {var:.1f} and you would have chased variance; the best human "
        "level is the one to use as a proxy for Bayes error.",
    ])
    check.done()


def first_error_category(fn):
    """Check the error category with the largest ceiling for model v2."""
    tally_images = ROBOT["tally_images"]
    images_reviewed = ROBOT["images_reviewed"]
    model_v2 = ROBOT["model_v2"]
    check = Checker("first_error_category")
    ceilings = _ceilings(tally_images, images_reviewed, model_v2["dev"])
    right = max(ceilings, key=ceilings.get)
    why_wrong = {c: f"Fixing {c} completely could gain at most {v:.2f} points of dev error."
                 for c, v in ceilings.items()}
    why_wrong["mislabelled"] += (" And these are not model errors: the model may be right "
                                 "and the label wrong.")
    _name(check, fn, list(tally_images), right, why_wrong,
          "Turn each count into a ceiling (share of the reviewed errors x dev error) and "
          "compare.", "category")
    _say([f"{c:>21}: {tally_images[c]:3d} / {images_reviewed} x {model_v2['dev']:.1f} = "
          f"{v:.2f} points" for c, v in ceilings.items()] + [
        f"Start with {right}: it has the highest ceiling ({ceilings[right]:.2f} points). "
        f"New cameras against motion blur could gain at most {ceilings['motion blur']:.2f}.",
    ])
    check.done()


def relabel_decision(fn):
    """Check the decision about mislabelled examples: fix dev and test together."""
    tally_images = ROBOT["tally_images"]
    images_reviewed = ROBOT["images_reviewed"]
    model_v2 = ROBOT["model_v2"]
    model_v2b_dev = ROBOT["model_v2b_dev"]
    check = Checker("relabel_decision")
    share = tally_images["mislabelled"] / images_reviewed
    points = share * model_v2["dev"]
    difference = model_v2["dev"] - model_v2b_dev
    right = "D" if points > difference else "A"
    why_wrong = {
        "A": f"Label errors account for about {points:.2f} points of the {model_v2['dev']:.1f}% "
             f"dev error ({_pct(share)} of it), more than the {difference:.1f}-point difference "
             "between the two models you want to compare. Robustness to label noise is about "
             "the training set, not about the set you measure with.",
        "B": "Looking only at the images the model got wrong finds labels that wrongly hurt "
             "the model but never the ones that wrongly help it: the dev error would be "
             "biased downwards.",
        "C": "A large training set tolerates a few percent of random label errors; the "
             "numbers that decide between models come from the dev set.",
        "D": "",
    }
    _letter(check, fn, OPTIONS["relabel_decision"], right, why_wrong,
            "How large is the label problem compared with the differences you need to "
            "measure, and which data sets would a fix have to keep alike?")
    _say([
        f"Label errors: {tally_images['mislabelled']} of {images_reviewed} reviewed errors = "
        f"{_pct(share)} of the dev error, about {points:.2f} points of {model_v2['dev']:.1f}%.",
        f"v2 and v2b differ by {model_v2['dev'] - model_v2b_dev:.1f} points on dev, less "
        "than the label noise: wrong labels could be what decides the comparison.",
        "Fix dev and test with the same procedure so they stay from the same distribution; "
        "check the images the model got right too, or the error estimate is biased.",
    ])
    check.done()


def battery_transfer_plan(fn):
    """Check the transfer-learning plan for the battery detector."""
    battery_data = ROBOT["battery_data"]
    check = Checker("battery_transfer_plan")
    task = battery_data["belt images for the battery task"]
    positives = battery_data["of which show a battery"]
    source = battery_data["belt images behind the material classifier"]
    xray = battery_data["X-ray luggage images behind the airport model"]
    right = "B"
    why_wrong = {
        "A": f"{task:,} images, of which {positives} show a battery, are few to learn edges, "
             "textures and shapes from scratch.",
        "C": f"That model learned from {xray:,} X-ray images: a different kind of input, and "
             f"barely more images than the {task:,} you have.",
        "D": "Labelling hundreds of thousands of images costs months, and a good start "
             "exists already.",
    }
    _letter(check, fn, OPTIONS["battery_transfer_plan"], right, why_wrong,
            "Transfer works from a task with much more data, the same kind of input and "
            "useful low-level features.")
    _say([
        f"Why B: same camera and belt (same input), {source:,} source images against "
        f"{task:,} target images ({source / task:.0f} times more), and the low-level "
        "features (plastic, metal, edges, reflections) carry over.",
        f"Why not C: X-ray images are a different input and {xray:,} is not much more "
        f"than {task:,}.",
    ])
    check.done()


def attribute_design(fn):
    """Check the multi-task design for four yes/no attributes with missing labels."""
    attribute_labels = ROBOT["attribute_labels"]
    all_four_labelled = ROBOT["all_four_labelled"]
    attribute_images = ROBOT["attribute_images"]
    check = Checker("attribute_design")
    entries = sum(attribute_labels.values())
    complete_share = all_four_labelled / attribute_images
    combos = 2 ** len(attribute_labels)
    smallest = min(attribute_labels, key=attribute_labels.get)
    right = "C"
    why_wrong = {
        "A": f"Four networks learn four copies of the same low-level features; the "
             f"{smallest!r} network would see only {attribute_labels[smallest]:,} images.",
        "B": f"Only {_pct(complete_share)} of the images have all four labels, and {combos} "
             "combinations split them into small classes.",
        "D": "A softmax says exactly one attribute is true; an item can have a sleeve and "
             "food residue at once.",
    }
    _letter(check, fn, OPTIONS["attribute_design"], right, why_wrong,
            "An item can have several attributes at once, many labels are missing, and "
            "the four tasks look at the same images.")
    _say([
        "Why C: multi-task learning. The four tasks share the same belt images and "
        "low-level features, an item can have several attributes (independent sigmoids), "
        "and skipping missing labels uses every label there is: "
        f"{entries:,} label entries instead of {all_four_labelled:,} complete rows.",
        f"Why not B: it keeps {_pct(complete_share)} of the images and needs {combos} classes.",
        f"Why not A: the {smallest!r} task alone has only "
        f"{attribute_labels[smallest]:,} images to learn features from.",
    ])
    check.done()


def sorting_architecture(fn):
    """Check the end-to-end vs pipeline choice for the sorting robot."""
    sorting_data = ROBOT["sorting_data"]
    rule_changes_per_year = ROBOT["rule_changes_per_year"]
    check = Checker("sorting_architecture")
    e2e = sorting_data["belt images with the full correct pick list"]
    parts = sum(v for k, v in sorting_data.items()
                if k != "belt images with the full correct pick list")
    right = "A" if parts > 10 * e2e else "B"
    why_wrong = {
        "B": f"Only {e2e:,} images have end-to-end labels, against {parts:,} labelled "
             f"examples for the parts; and each of the {rule_changes_per_year} rule changes "
             "a year would mean relabelling and retraining.",
        "C": "Hand-tuned colour thresholds cannot see what a shrink sleeve hides and waste "
             f"{sorting_data['item crops labelled with their material']:,} labelled crops "
             "that a learned classifier could use.",
        "A": "",
    }
    _letter(check, fn, OPTIONS["sorting_architecture"], right, why_wrong,
            "End-to-end learning needs lots of (input, final output) pairs; compare them "
            "with the data for each part, and think about the rules changing.")
    _say([
        f"Why A: the parts have {parts:,} labelled examples, the whole task {e2e:,}; "
        f"when the city changes its rules ({rule_changes_per_year} times a year) only the "
        "rule table changes.",
        "Why not B: end to end would need many more fully labelled belt images, and its "
        "labels go stale at every rule change.",
        "Why not C: learned components beat hand-tuned ones when labelled data is plentiful.",
    ])
    check.done()
