"""Checks for Course 3, week 2: two case studies, one decision per graded function.

Each graded function takes no argument and returns a decision: the letter of an option, the
name of a model or of an error category, or a number computed from the scenario's tables.
The scenarios' numbers live here (the notebook shows the same numbers, and
``tests/test_checks_c3w2_case_studies.py`` verifies that the two agree). Each check calls the
learner's function first, then recomputes the right decision from those numbers (filter and
arg-max for the model table, the error gaps for the diagnosis, the error-analysis ceilings,
the sample-size formula, ...): that computation is the oracle. A passing check prints why the
right decision is right and why the tempting wrong ones are wrong, with the numbers; a wrong
decision raises ``CheckFailure`` saying why that choice does not fit the numbers and where
to look, without naming the right option.
"""

import math
import textwrap

import numpy as np

from utils.checks.harness import Checker

# ========================================================================================
# Case study 1: chest-sound triage with a new stethoscope (Harbourview Hospital)

S1_CLIPS = 180_000  # labelled clips from the old stethoscope, S1
S2_CLIPS = 15_000  # labelled clips from the new stethoscope, S2 (the one being deployed)
CLIP_SECONDS = 15
PREVALENCE = 0.08  # share of clips with abnormal lung sounds
MAX_FALSE_ALARM = 0.10
MAX_LATENCY_MS = 300

# measured on the S2 dev set
MODELS = {
    "cnn-large": {"sensitivity": 0.95, "false_alarm_rate": 0.13, "latency_ms": 260},
    "crnn": {"sensitivity": 0.93, "false_alarm_rate": 0.08, "latency_ms": 450},
    "cnn-medium": {"sensitivity": 0.91, "false_alarm_rate": 0.09, "latency_ms": 170},
    "cnn-small": {"sensitivity": 0.86, "false_alarm_rate": 0.06, "latency_ms": 70},
    "boosted-trees": {"sensitivity": 0.79, "false_alarm_rate": 0.03, "latency_ms": 20},
}

TARGET_SE = 0.02  # wanted standard error of the sensitivity measured on dev (and on test)
EXPECTED_SENSITIVITY = 0.90

# error rates (%) of the chosen model
ERRORS = {"human level": 3.0, "train": 3.6, "train-dev": 4.4, "dev": 9.0, "test": 9.3}

CLIPS_REVIEWED = 200  # misclassified S2 dev clips listened to; a clip can carry several tags
TALLY_CLIPS = {
    "handling noise": 88,
    "low volume": 52,
    "heart sounds on top": 34,
    "background speech": 18,
    "probable label error": 10,
    "other": 14,
}

NOISE_MINUTES = 20  # handling noise recorded in one afternoon on a dummy

OPTIONS = {
    "choose_metric_setup": {
        "A": "Optimise accuracy on the S2 dev set; no other condition.",
        "B": "Optimise the false-alarm rate (lower is better), subject to sensitivity "
             ">= 0.85 and latency <= 300 ms.",
        "C": "Optimise sensitivity, subject to false-alarm rate <= 0.10 and latency "
             "<= 300 ms.",
        "D": "Optimise one combined score: sensitivity - false-alarm rate - latency in "
             "seconds.",
    },
    "choose_split": {
        "A": "Pool all 195,000 clips, shuffle them and split 96% / 2% / 2% into train / dev "
             "/ test.",
        "B": "Draw the dev set and the test set from the S2 clips only; the S2 clips left "
             "over join all the S1 clips in the training set.",
        "C": "Train on the S1 clips, use all the S2 clips as the dev set and hold out some "
             "S1 clips as the test set.",
        "D": "Drop the S1 clips: train, dev and test all come from the 15,000 S2 clips.",
    },
    "biggest_problem": {
        "A": "Variance: the model does not generalise beyond the clips it was trained on.",
        "B": "Overfitting to the dev set: we tuned too much on it.",
        "C": "Avoidable bias: the model does not fit its training set well enough.",
        "D": "Data mismatch: the S2 dev clips differ from the training clips.",
    },
    "synthesis_plan": {
        "A": "Record handling noise with S2 from many nurses, patients and clothing over "
             "several weeks (hundreds of hours), mix random stretches of it into S1 clips, "
             "and watch whether the gap between train-dev and dev error shrinks.",
        "B": "Record 20 minutes of S2 handling noise on a training dummy this afternoon and "
             "mix it into all 180,000 S1 clips.",
        "C": "Copy the misclassified dev clips into the training set (keeping them in the "
             "dev set too), so the model learns exactly the cases it gets wrong.",
        "D": "Train a bigger network for longer.",
    },
}

# ========================================================================================
# Case study 2: a sorting robot at a recycling plant (Eastbank materials-recovery facility)

HUMAN_ERRORS = {  # % error on single-item images of the belt
    "trainee sorter": 12.0,
    "experienced sorter": 5.0,
    "materials engineer": 4.2,
    "expert panel": 2.4,
}
MODEL_V1 = {"train": 5.6, "dev": 6.5}
MODEL_V2 = {"train": 2.8, "dev": 3.5}
MODEL_V2B_DEV = 3.2  # a variant of v2 the team wants to compare with it

IMAGES_REVIEWED = 250  # misclassified dev images examined for v2; several tags allowed
TALLY_IMAGES = {
    "shrink sleeve": 85,
    "overlapping items": 60,
    "mislabelled": 45,
    "crushed or flattened": 40,
    "food residue": 22,
    "motion blur": 12,
}

BATTERY_DATA = {  # labelled images available for the battery detector
    "belt images for the battery task": 1_500,
    "of which show a battery": 300,
    "belt images behind the material classifier": 400_000,
    "X-ray luggage images behind the airport model": 2_000,
}

ATTRIBUTE_IMAGES = 60_000
ATTRIBUTE_LABELS = {  # images on which each yes/no attribute is labelled
    "has sleeve": 60_000,
    "black plastic": 60_000,
    "food residue": 25_000,
    "contains battery": 12_000,
}
ALL_FOUR_LABELLED = 9_000

SORTING_DATA = {
    "belt images with the full correct pick list": 6_000,
    "belt images with a box around every item": 50_000,
    "item crops labelled with their material": 400_000,
    "item crops labelled with the four attributes": 60_000,
}
RULE_CHANGES_PER_YEAR = 2

OPTIONS.update({
    "next_focus": {
        "A": "Reduce variance: collect more training images and add regularisation.",
        "B": "Ship it: the model is at human level, since an experienced sorter makes "
             "5.0% errors.",
        "C": "Reduce avoidable bias: a bigger network, longer training, a better "
             "architecture.",
        "D": "Build a bigger dev set before doing anything else.",
    },
    "relabel_decision": {
        "A": "Ignore the label errors: deep networks are robust to random label noise.",
        "B": "Fix the labels of the 45 mislabelled images found in the review, and only "
             "those.",
        "C": "Relabel the 400,000 training images first: that is where most labels are.",
        "D": "Re-examine every image of the dev set and of the test set with the same "
             "procedure (including images the model got right); the training set can wait.",
    },
    "battery_transfer_plan": {
        "A": "Train a battery detector from scratch on the 1,500 battery-task images.",
        "B": "Start from the material classifier trained on 400,000 belt images: replace "
             "its output layer with one battery / no-battery unit, train the new layer, "
             "then maybe the last few layers, on the 1,500 images.",
        "C": "Start from the airport model trained on 2,000 X-ray images of luggage: it has "
             "seen batteries before.",
        "D": "Wait until 400,000 belt images have been labelled for batteries.",
    },
    "attribute_design": {
        "A": "Four separate networks, each trained on the images where its own attribute is "
             "labelled.",
        "B": "One network with a 16-way softmax over every yes/no combination of the four "
             "attributes, trained on the 9,000 images that have all four labels.",
        "C": "One network with four sigmoid outputs; the loss adds the logistic losses of "
             "the labelled attributes of each image and skips the missing ones.",
        "D": "One network with a 4-way softmax, one class per attribute.",
    },
    "sorting_architecture": {
        "A": "A pipeline: a detector finds the items, a classifier gives each item's material "
             "and attributes, and a short table of the city's rules maps them to a bin.",
        "B": "End to end: one network maps the belt image straight to the pick list "
             "(position and bin of every item), trained on the 6,000 fully labelled images.",
        "C": "A pipeline with hand-tuned colour thresholds instead of a learned material "
             "classifier.",
    },
})


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
    return PREVALENCE * row["sensitivity"] + (1 - PREVALENCE) * (1 - row["false_alarm_rate"])


def _feasible():
    return [n for n, r in MODELS.items()
            if r["false_alarm_rate"] <= MAX_FALSE_ALARM and r["latency_ms"] <= MAX_LATENCY_MS]


def _best_model():
    return max(_feasible(), key=lambda n: MODELS[n]["sensitivity"])


def _combined_score_pick():
    def score(n):
        r = MODELS[n]
        return r["sensitivity"] - r["false_alarm_rate"] - r["latency_ms"] / 1000
    return max(MODELS, key=score)


def _fewest_alarms_pick(min_sensitivity=0.85):
    ok = [n for n, r in MODELS.items()
          if r["sensitivity"] >= min_sensitivity and r["latency_ms"] <= MAX_LATENCY_MS]
    return min(ok, key=lambda n: MODELS[n]["false_alarm_rate"])


def _clips_per_eval_set():
    """S2 clips needed in one evaluation set so the sensitivity's standard error is
    TARGET_SE: n_abnormal = p(1 - p) / se^2 abnormal clips, i.e. n_abnormal / prevalence
    clips, rounded up."""
    p = EXPECTED_SENSITIVITY
    abnormal = p * (1 - p) / TARGET_SE**2
    return math.ceil(round(abnormal / PREVALENCE, 6))


def _s2_for_training():
    return S2_CLIPS - 2 * _clips_per_eval_set()


def _gaps():
    errors = ERRORS
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
    check = Checker("choose_metric_setup")
    never_flag = 1 - PREVALENCE
    right = "C"  # the requirements name one error to minimise and two limits to respect
    why_wrong = {
        "A": f"{_pct(1 - PREVALENCE)} of the clips are normal, so a 'model' that never flags "
             f"anything already scores accuracy {never_flag:.3f} while missing every abnormal "
             "clip.",
        "B": "The clinical lead said which error is the costly one, and it is not the false "
             "alarm: false alarms only have to stay under the ward's limit.",
        "D": "Adding sensitivity, false-alarm rate and seconds fixes an arbitrary exchange "
             "rate between them: 0.1 s of latency would weigh as much as 10 points of "
             f"sensitivity, although every latency under {MAX_LATENCY_MS} ms is equally "
             "good for the tablet.",
    }
    _letter(check, fn, OPTIONS["choose_metric_setup"], right, why_wrong,
            "Which quantity did the clinical lead want as good as possible, and which "
            "ones only need to stay within a limit?")
    _say([
        "Why C: one error must be as rare as possible (a missed abnormal clip), so "
        "sensitivity is the optimising metric; the ward's review capacity "
        f"(false-alarm rate <= {MAX_FALSE_ALARM:.2f}) and the tablet "
        f"(<= {MAX_LATENCY_MS} ms) are limits that only have to be met: satisficing metrics.",
        f"Why not accuracy: {_pct(1 - PREVALENCE)} of clips are normal, so flagging nothing "
        f"scores {never_flag:.3f}.",
        "Why not fewest false alarms (B): it optimises the cheap error and only puts a floor "
        "under the costly one, so it would give up sensitivity to save alarms the ward "
        "could have absorbed.",
        "Why not a combined score (D): its made-up exchange rate makes 0.1 s of latency "
        "weigh as much as 10 points of sensitivity, although any latency under "
        f"{MAX_LATENCY_MS} ms is equally good.",
    ])
    check.done()


def choose_model(fn):
    """Check the model choice: best sensitivity among the models that meet both limits."""
    check = Checker("choose_model")
    right = _best_model()
    by_accuracy = max(MODELS, key=lambda n: _accuracy(MODELS[n]))
    why_wrong = {}
    for name, row in MODELS.items():
        reasons = []
        if row["false_alarm_rate"] > MAX_FALSE_ALARM:
            reasons.append(f"its false-alarm rate {row['false_alarm_rate']:.2f} is above the "
                           f"limit {MAX_FALSE_ALARM:.2f}")
        if row["latency_ms"] > MAX_LATENCY_MS:
            reasons.append(f"its latency {row['latency_ms']} ms is above the limit "
                           f"{MAX_LATENCY_MS} ms")
        if reasons:
            why_wrong[name] = f"{name} cannot be deployed: " + " and ".join(reasons) + "."
        elif name != right:
            why_wrong[name] = (f"{name} meets both limits, but another model that also meets "
                               f"them finds more abnormal clips than its "
                               f"{row['sensitivity']:.2f}.")
        if name == by_accuracy and name != right:
            why_wrong[name] += (f" It has the best accuracy ({_accuracy(row):.4f}), but "
                                "accuracy is not the metric you chose.")
    _name(check, fn, list(MODELS), right, why_wrong,
          "First drop every model that breaks a satisficing limit, then take the best "
          "optimising metric among the models left.", "model")
    feasible = _feasible()
    lines = [
        f"Models within both limits: {', '.join(feasible)}.",
        f"Best sensitivity among them: {right} ({MODELS[right]['sensitivity']:.2f}).",
    ]
    for name, row in MODELS.items():
        if name not in feasible:
            lines.append(f"Not {name}: {why_wrong[name][len(name) + 1:]}")
        elif name != right:
            lines.append(f"Not {name}: it meets both limits but finds only "
                         f"{row['sensitivity']:.2f} of the abnormal clips.")
    top_accuracy = _accuracy(MODELS[by_accuracy])
    rejected = {  # the set-ups turned down in decision 1, and the model each would pick
        f"accuracy alone (set-up A of decision 1, accuracy {top_accuracy:.4f})": by_accuracy,
        "fewest false alarms (set-up B)": _fewest_alarms_pick(),
        "the combined score (set-up D)": _combined_score_pick(),
    }
    for pick in dict.fromkeys(v for v in rejected.values() if v != right):
        setups = " and ".join(k for k, v in rejected.items() if v == pick)
        verb = "would both have chosen" if " and " in setups else "would have chosen"
        lines.append(f"{setups[0].upper()}{setups[1:]} {verb} {pick}, which misses "
                     f"{_pct(1 - MODELS[pick]['sensitivity'])} of abnormal clips.")
    _say(lines)
    check.done()


def choose_split(fn):
    """Check the split: dev and test from the S2 (target) clips, leftovers into training."""
    check = Checker("choose_split")
    s2_share = S2_CLIPS / (S1_CLIPS + S2_CLIPS)
    pooled_dev = round(0.02 * (S1_CLIPS + S2_CLIPS))
    pooled_s2 = round(pooled_dev * s2_share)
    pooled_abnormal = round(pooled_s2 * PREVALENCE)
    s1_share = S1_CLIPS / (S1_CLIPS + S2_CLIPS)
    right = "B"  # dev/test = the distribution you will deploy on; extra data goes to training
    why_wrong = {
        "A": f"Only {_pct(s2_share)} of the pooled clips come from S2: a 2% dev set of "
             f"{pooled_dev:,} clips would hold about {pooled_s2} S2 clips, about "
             f"{pooled_abnormal} of them abnormal. You would be tuning for the old "
             "stethoscope.",
        "C": "The test set would measure the stethoscope you are retiring, and dev and test "
             "would come from different distributions: a model tuned on dev could disappoint "
             "on test for reasons you could not tell apart.",
        "D": f"That throws away {S1_CLIPS:,} clips ({_pct(s1_share)} of the labelled audio); "
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
    check = Checker("s2_clips_for_training")
    got = check.call(fn)
    p = EXPECTED_SENSITIVITY
    abnormal = p * (1 - p) / TARGET_SE**2
    per_set = _clips_per_eval_set()
    expected = _s2_for_training()
    known_wrong = [
        (S2_CLIPS - per_set, "That leaves room for a dev set but not for a test set of the "
                             "same size."),
        (per_set, "That is the size of one evaluation set, not what is left for training."),
        (S2_CLIPS - 2 * math.ceil(abnormal), "That counts abnormal clips as if every clip "
                                             "were abnormal: only 8% of clips are."),
        (S2_CLIPS - 2 * math.ceil(p * (1 - p) / TARGET_SE / PREVALENCE),
         "The standard error is squared in n = p(1 - p) / se^2."),
    ]
    _number(check, lambda: got, expected, 30, known_wrong,
            "Find how many abnormal clips make the standard error sqrt(p(1 - p) / n) equal "
            "to the target, turn that into clips with the prevalence, and remember that "
            "dev and test both need that many.", "s2_clips_for_training()")
    _say([
        f"abnormal clips per set: n = p(1 - p) / se^2 = {p:.2f} x {1 - p:.2f} / "
        f"{TARGET_SE:.2f}^2 = {abnormal:.0f}",
        f"clips per set: {abnormal:.0f} / {PREVALENCE:.2f} = {abnormal / PREVALENCE:.1f}, "
        f"rounded up to {per_set:,}",
        f"left for training: {S2_CLIPS:,} - 2 x {per_set:,} = {expected:,} S2 clips "
        f"(answers within 30 clips of it are accepted)",
        "A bigger dev set would not make the model better, only its measurement more "
        "precise; the rest of the S2 clips teach the model what S2 sounds like.",
    ])
    check.done()


def data_mismatch_gap(fn):
    """Check the data-mismatch gap: dev error minus train-dev error."""
    check = Checker("data_mismatch_gap")
    got = check.call(fn)
    gaps = _gaps()
    expected = gaps["data mismatch"]
    known_wrong = [
        (ERRORS["dev"] - ERRORS["train"], "dev - train mixes two gaps: variance and data "
                                          "mismatch."),
        (-expected, "The sign is reversed: the gap is how much worse dev is."),
        (expected / 100, "The errors are given in percent: keep the gap in percentage "
                         "points."),
        (ERRORS["test"] - ERRORS["train-dev"], "Use the dev error, not the test error."),
        (gaps["variance"], "That is train-dev - train, the variance."),
        (ERRORS["dev"] - ERRORS["human level"], "That is the whole distance from human level "
                                                "to dev, every gap at once."),
    ]
    _number(check, lambda: got, expected, 1e-6, known_wrong,
            "Which two error rates are measured on data the model never trained on, one from "
            "the training distribution and one from the target distribution?",
            "data_mismatch_gap()")
    _say([
        f"data mismatch = dev - train-dev = {ERRORS['dev']:.1f} - {ERRORS['train-dev']:.1f} "
        f"= {expected:.1f} points",
        "Both sets are unseen by the model; only their distribution differs, so the gap "
        "measures the change of stethoscope.",
    ])
    check.done()


def biggest_problem(fn):
    """Check the diagnosis: the largest of the four gaps."""
    check = Checker("biggest_problem")
    gaps = _gaps()
    largest = max(gaps, key=gaps.get)
    right = next(k for k, v in _PROBLEM_OF_OPTION.items() if v == largest)
    why_wrong = {}
    for letter, problem in _PROBLEM_OF_OPTION.items():
        why_wrong[letter] = f"The {problem} gap is {gaps[problem]:.1f} points."
    why_wrong["A"] += (f" Without a train-dev set, dev - train = "
                       f"{ERRORS['dev'] - ERRORS['train']:.1f} would look like variance; the "
                       "train-dev set splits it in two.")
    _letter(check, fn, OPTIONS["biggest_problem"], right, why_wrong,
            "Work out all four gaps between neighbouring rows of the error table and "
            "compare them.")
    _say([f"{problem:>20}: {gap:4.1f} points" for problem, gap in gaps.items()] + [
        f"The largest gap is {largest} ({gaps[largest]:.1f} points), so work on making the "
        "training data more like S2 data.",
        f"Without the train-dev set, dev - train = {ERRORS['dev'] - ERRORS['train']:.1f} "
        "would look like variance, and weeks of regularisation would leave it untouched.",
    ])
    check.done()


def error_analysis_ceiling(fn):
    """Check the ceiling: the most that fixing one error category could gain on dev."""
    check = Checker("error_analysis_ceiling")
    got = check.call(fn)
    ceilings = _ceilings(TALLY_CLIPS, CLIPS_REVIEWED, ERRORS["dev"])
    top = max(ceilings, key=ceilings.get)
    expected = ceilings[top]
    n_tags = sum(TALLY_CLIPS.values())
    known_wrong = [
        (ERRORS["dev"] * TALLY_CLIPS[top] / n_tags,
         f"The tags add up to {n_tags}, more than the {CLIPS_REVIEWED} clips, because a clip "
         "can carry several: divide by the number of clips reviewed."),
        (TALLY_CLIPS[top] / CLIPS_REVIEWED,
         "That is a share of the errors; the ceiling is in points of dev error."),
        (100 * TALLY_CLIPS[top] / CLIPS_REVIEWED,
         "That is the share of errors in percent; multiply the share by the dev error."),
    ]
    _number(check, lambda: got, expected, 1e-6, known_wrong,
            "A category seen in a share s of the reviewed errors can remove at most s times "
            "the dev error; take the category with the largest ceiling.",
            "error_analysis_ceiling()")
    _say([f"{c:>21}: {n:3d} / {CLIPS_REVIEWED} x {ERRORS['dev']:.1f} = {v:.2f} points"
          for (c, n), v in zip(TALLY_CLIPS.items(), ceilings.values(), strict=True)] + [
        f"Fixing {top} perfectly would bring dev error from {ERRORS['dev']:.1f}% down to "
        f"{ERRORS['dev'] - expected:.2f}% at best; fixing the label errors could gain only "
        f"{ceilings['probable label error']:.2f} points.",
    ])
    check.done()


def synthesis_plan(fn):
    """Check the plan against data mismatch: varied synthetic noise, verified on dev."""
    check = Checker("synthesis_plan")
    s1_hours = S1_CLIPS * CLIP_SECONDS / 3600
    reuse = s1_hours * 60 / NOISE_MINUTES
    gaps = _gaps()
    right = "A"
    why_wrong = {
        "B": f"The S1 clips hold {s1_hours:.0f} hours of audio; {NOISE_MINUTES} minutes of "
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
    return min(HUMAN_ERRORS, key=HUMAN_ERRORS.get)


def _avoidable_bias_v1():
    return MODEL_V1["train"] - HUMAN_ERRORS[_bayes_proxy()]


def _variance_v1():
    return MODEL_V1["dev"] - MODEL_V1["train"]


# ----------------------------------------------------------------------------------------
# Case study 2 checks


def avoidable_bias_v1(fn):
    """Check model v1's avoidable bias, measured from the best human-level estimate."""
    check = Checker("avoidable_bias_v1")
    got = check.call(fn)
    expected = _avoidable_bias_v1()
    proxy = _bayes_proxy()
    known_wrong = [(MODEL_V1["train"] - err, f"That measures from the {who} "
                                             f"({err:.1f}%), not from the best human level.")
                   for who, err in HUMAN_ERRORS.items() if who != proxy]
    known_wrong += [
        (_variance_v1(), "That is dev - train, the variance."),
        (MODEL_V1["dev"] - HUMAN_ERRORS[proxy], "Avoidable bias uses the training error, not "
                                                "the dev error."),
        (-expected, "The sign is reversed: avoidable bias is how much worse the model is."),
        (expected / 100, "The errors are in percent: keep the result in percentage points."),
    ]
    _number(check, lambda: got, expected, 1e-6, known_wrong,
            "Avoidable bias = training error - the best estimate of Bayes error; which human "
            "error rate is the best estimate?", "avoidable_bias_v1()")
    _say([
        f"Best human level: {proxy} at {HUMAN_ERRORS[proxy]:.1f}% (Bayes error is at most "
        "this).",
        f"avoidable bias = {MODEL_V1['train']:.1f} - {HUMAN_ERRORS[proxy]:.1f} = "
        f"{expected:.1f} points; variance = {MODEL_V1['dev']:.1f} - "
        f"{MODEL_V1['train']:.1f} = {_variance_v1():.1f} points.",
        f"Measured from the experienced sorter ({HUMAN_ERRORS['experienced sorter']:.1f}%), "
        f"the avoidable bias would look like only "
        f"{MODEL_V1['train'] - HUMAN_ERRORS['experienced sorter']:.1f} points.",
    ])
    check.done()


def next_focus(fn):
    """Check the next step for model v1: the larger of avoidable bias and variance."""
    check = Checker("next_focus")
    bias, var = _avoidable_bias_v1(), _variance_v1()
    right = "C" if bias > var else "A"
    sorter = HUMAN_ERRORS["experienced sorter"]
    why_wrong = {
        "A": f"Variance (dev - train) is only {var:.1f} points.",
        "B": f"Humans can reach {HUMAN_ERRORS[_bayes_proxy()]:.1f}%, so being near one "
             f"experienced sorter ({sorter:.1f}%) is not a sign that little is left to gain.",
        "D": "Nothing in the numbers says the dev set is too small or over-used; the gaps "
             "between the error rates say where to work.",
    }
    why_wrong[right] = ""
    _letter(check, fn, OPTIONS["next_focus"], right, why_wrong,
            "Compare the avoidable bias with the variance; the larger gap is the one to "
            "work on.")
    with_sorter = MODEL_V1["train"] - sorter
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
    check = Checker("first_error_category")
    ceilings = _ceilings(TALLY_IMAGES, IMAGES_REVIEWED, MODEL_V2["dev"])
    right = max(ceilings, key=ceilings.get)
    why_wrong = {c: f"Fixing {c} completely could gain at most {v:.2f} points of dev error."
                 for c, v in ceilings.items()}
    why_wrong["mislabelled"] += (" And these are not model errors: the model may be right "
                                 "and the label wrong.")
    _name(check, fn, list(TALLY_IMAGES), right, why_wrong,
          "Turn each count into a ceiling (share of the reviewed errors x dev error) and "
          "compare.", "category")
    _say([f"{c:>21}: {TALLY_IMAGES[c]:3d} / {IMAGES_REVIEWED} x {MODEL_V2['dev']:.1f} = "
          f"{v:.2f} points" for c, v in ceilings.items()] + [
        f"Start with {right}: it has the highest ceiling ({ceilings[right]:.2f} points). "
        f"New cameras against motion blur could gain at most {ceilings['motion blur']:.2f}.",
    ])
    check.done()


def relabel_decision(fn):
    """Check the decision about mislabelled examples: fix dev and test together."""
    check = Checker("relabel_decision")
    share = TALLY_IMAGES["mislabelled"] / IMAGES_REVIEWED
    points = share * MODEL_V2["dev"]
    difference = MODEL_V2["dev"] - MODEL_V2B_DEV
    right = "D" if points > difference else "A"
    why_wrong = {
        "A": f"Label errors account for about {points:.2f} points of the {MODEL_V2['dev']:.1f}% "
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
        f"Label errors: {TALLY_IMAGES['mislabelled']} of {IMAGES_REVIEWED} reviewed errors = "
        f"{_pct(share)} of the dev error, about {points:.2f} points of {MODEL_V2['dev']:.1f}%.",
        f"v2 and v2b differ by {MODEL_V2['dev'] - MODEL_V2B_DEV:.1f} points on dev, less "
        "than the label noise: wrong labels could be what decides the comparison.",
        "Fix dev and test with the same procedure so they stay from the same distribution; "
        "check the images the model got right too, or the error estimate is biased.",
    ])
    check.done()


def battery_transfer_plan(fn):
    """Check the transfer-learning plan for the battery detector."""
    check = Checker("battery_transfer_plan")
    task = BATTERY_DATA["belt images for the battery task"]
    positives = BATTERY_DATA["of which show a battery"]
    source = BATTERY_DATA["belt images behind the material classifier"]
    xray = BATTERY_DATA["X-ray luggage images behind the airport model"]
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
    check = Checker("attribute_design")
    entries = sum(ATTRIBUTE_LABELS.values())
    complete_share = ALL_FOUR_LABELLED / ATTRIBUTE_IMAGES
    combos = 2 ** len(ATTRIBUTE_LABELS)
    smallest = min(ATTRIBUTE_LABELS, key=ATTRIBUTE_LABELS.get)
    right = "C"
    why_wrong = {
        "A": f"Four networks learn four copies of the same low-level features; the "
             f"{smallest!r} network would see only {ATTRIBUTE_LABELS[smallest]:,} images.",
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
        f"{entries:,} label entries instead of {ALL_FOUR_LABELLED:,} complete rows.",
        f"Why not B: it keeps {_pct(complete_share)} of the images and needs {combos} classes.",
        f"Why not A: the {smallest!r} task alone has only "
        f"{ATTRIBUTE_LABELS[smallest]:,} images to learn features from.",
    ])
    check.done()


def sorting_architecture(fn):
    """Check the end-to-end vs pipeline choice for the sorting robot."""
    check = Checker("sorting_architecture")
    e2e = SORTING_DATA["belt images with the full correct pick list"]
    parts = sum(v for k, v in SORTING_DATA.items()
                if k != "belt images with the full correct pick list")
    right = "A" if parts > 10 * e2e else "B"
    why_wrong = {
        "B": f"Only {e2e:,} images have end-to-end labels, against {parts:,} labelled "
             f"examples for the parts; and each of the {RULE_CHANGES_PER_YEAR} rule changes "
             "a year would mean relabelling and retraining.",
        "C": "Hand-tuned colour thresholds cannot see what a shrink sleeve hides and waste "
             f"{SORTING_DATA['item crops labelled with their material']:,} labelled crops "
             "that a learned classifier could use.",
        "A": "",
    }
    _letter(check, fn, OPTIONS["sorting_architecture"], right, why_wrong,
            "End-to-end learning needs lots of (input, final output) pairs; compare them "
            "with the data for each part, and think about the rules changing.")
    _say([
        f"Why A: the parts have {parts:,} labelled examples, the whole task {e2e:,}; "
        f"when the city changes its rules ({RULE_CHANGES_PER_YEAR} times a year) only the "
        "rule table changes.",
        "Why not B: end to end would need many more fully labelled belt images, and its "
        "labels go stale at every rule change.",
        "Why not C: learned components beat hand-tuned ones when labelled data is plentiful.",
    ])
    check.done()
