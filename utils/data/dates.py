"""Human-readable dates in several languages paired with ISO dates, for date translation.

``make_dates(n, seed)`` draws ``n`` calendar dates between 1950-01-01 and 2049-12-31, writes
each one the way people do in one of six locales (``LOCALES``) with Babel's ``format_date``
(the four CLDR styles ``full``/``long``/``medium``/``short`` plus a few hand-written patterns,
always with ``y``/``yy`` years, never the week-based ``Y``), lower-cases it, and pairs it with
the machine-readable target ``YYYY-MM-DD``::

    >>> make_dates(3, seed=1)[0]          # doctest: +SKIP
    ('27 sept. 2049', '2049-09-27', 'fr_FR')

Choices that make the task well posed (a model sees only the string, never the locale):

- Two-digit years (``yy``, used by several ``short`` styles) are unambiguous because the date
  range spans exactly one century: 50-99 mean 1950-1999 and 00-49 mean 2000-2049.
- All-numeric forms are day-first (``27/09/2049``, ``27.09.49``) in every locale. The
  month-first US ``short`` style (``9/27/49``) is left out: ``3/4/20`` would be the 4th of
  March in New York and the 3rd of April in London, and no model could tell them apart.

Determinism: every random choice comes from one ``numpy.random.Generator(seed)``, so a seed
gives the same list on every machine (Babel's locale data is pinned with the package).
Faker's ``date_between`` was tried and left out: it is seeded by ``seed_instance``, but its
``_rand_seconds`` draws with ``random.uniform`` on Linux/macOS and ``random.randint`` on
Windows, so the same seed gives different dates on Windows.

Encoding: ``HUMAN_VOCAB`` maps ``<pad>`` to 0, ``<unk>`` to 1 and each of the characters in
``HUMAN_CHARACTERS`` to 2, 3, ...; ``MACHINE_VOCAB`` maps the 11 characters ``0-9`` and ``-``.
``encode`` turns pairs into integer arrays ``X`` (m, Tx) padded at the end and ``Y`` (m, Ty);
``one_hot`` and ``decode`` convert further.
"""

from datetime import date, timedelta

import numpy as np
from babel.dates import format_date

LOCALES = ("en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT")
FIRST_DATE = date(1950, 1, 1)
LAST_DATE = date(2049, 12, 31)

# Longest string any locale/format produces is 35 characters
# ("miércoles, 13 de septiembre de 2000"); the ISO target always has 10.
TX = 36
TY = 10

STYLES = ("full", "long", "medium", "short")
# Patterns with month or weekday names: fine in every locale.
NAME_PATTERNS = ("d MMM y", "d MMMM y", "dd MMM y", "EEE d MMM y", "EEEE d MMMM y",
                 "MMMM d, y", "MMM d y", "d MMM yy", "dd-MMM-y")
# All-numeric patterns, day first: used only in the day-first locales.
NUMERIC_PATTERNS = ("dd.MM.y", "d/M/y", "dd/MM/yy", "d.M.yy")
DAY_FIRST_LOCALES = ("en_GB", "fr_FR", "de_DE", "es_ES", "it_IT")

# Every character the formats above produce in the six locales (lower-cased), checked by
# tests/test_dates.py against all 36,525 days of the range. Fixed here so that the indices,
# and with them trained weights, never move.
HUMAN_CHARACTERS = " ,-./0123456789abcdefghijklmnoprstuvwyzáäéìû"
PAD, UNK = "<pad>", "<unk>"
HUMAN_VOCAB = {PAD: 0, UNK: 1, **{c: i + 2 for i, c in enumerate(HUMAN_CHARACTERS)}}
MACHINE_CHARACTERS = "-0123456789"
MACHINE_VOCAB = {c: i for i, c in enumerate(MACHINE_CHARACTERS)}
INV_MACHINE_VOCAB = {i: c for c, i in MACHINE_VOCAB.items()}


def formats_for(locale):
    """The Babel styles and patterns used for ``locale`` (a tuple of strings)."""
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}, got {locale!r}")
    styles = tuple(s for s in STYLES if not (locale == "en_US" and s == "short"))
    numeric = NUMERIC_PATTERNS if locale in DAY_FIRST_LOCALES else ()
    return styles + NAME_PATTERNS + numeric


def human_date(day, fmt, locale):
    """``day`` (a ``datetime.date``) written with Babel format ``fmt`` in ``locale``,
    lower-cased, with non-breaking spaces replaced by plain ones."""
    text = format_date(day, format=fmt, locale=locale).lower()
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def make_dates(n, seed, locales=LOCALES, exclude=()):
    """``n`` triples ``(human, iso, locale)`` drawn with ``numpy.random.default_rng(seed)``.

    For each example: a locale uniformly from ``locales``, a day uniformly in
    [1950-01-01, 2049-12-31], a format uniformly from ``formats_for(locale)``. Human strings in
    ``exclude`` (e.g. a training set's) are skipped and drawn again, which gives held-out sets
    that share no input with the training set. Same seed, same list, on every machine.
    """
    locales = tuple(locales)
    for loc in locales:
        formats_for(loc)                       # validates the name
    exclude = set(exclude)
    rng = np.random.default_rng(seed)
    span = (LAST_DATE - FIRST_DATE).days + 1
    out = []
    while len(out) < n:
        loc = locales[int(rng.integers(len(locales)))]
        day = FIRST_DATE + timedelta(days=int(rng.integers(span)))
        fmts = formats_for(loc)
        fmt = fmts[int(rng.integers(len(fmts)))]
        human = human_date(day, fmt, loc)
        if human in exclude:
            continue
        out.append((human, day.isoformat(), loc))
    return out


def string_to_indices(text, vocab, length):
    """Indices of the characters of ``text`` in ``vocab``, cut or padded (with ``<pad>``) to
    ``length``; characters missing from ``vocab`` map to ``<unk>``."""
    ids = [vocab.get(c, vocab.get(UNK, 0)) for c in text[:length]]
    return ids + [vocab.get(PAD, 0)] * (length - len(ids))


def encode(pairs, human_vocab=HUMAN_VOCAB, machine_vocab=MACHINE_VOCAB, Tx=TX, Ty=TY):
    """Integer arrays for a list of ``(human, iso)`` or ``(human, iso, locale)`` items.

    Returns ``X`` of shape (m, Tx) (human strings, padded at the end with index 0) and
    ``Y`` of shape (m, Ty) (ISO strings), both ``int32``.
    """
    X = np.array([string_to_indices(p[0], human_vocab, Tx) for p in pairs], dtype=np.int32)
    Y = np.array([string_to_indices(p[1], machine_vocab, Ty) for p in pairs], dtype=np.int32)
    return X.reshape(len(pairs), Tx), Y.reshape(len(pairs), Ty)


def encode_human(texts, human_vocab=HUMAN_VOCAB, Tx=TX):
    """Integer array (m, Tx) for a list of human-readable strings (no targets needed)."""
    return np.array([string_to_indices(t, human_vocab, Tx) for t in texts],
                    dtype=np.int32).reshape(len(texts), Tx)


def one_hot(indices, depth):
    """One-hot float32 array of shape ``indices.shape + (depth,)``."""
    return np.eye(depth, dtype=np.float32)[np.asarray(indices)]


def decode(indices, inv_vocab=INV_MACHINE_VOCAB):
    """The string spelled by a 1-D sequence of indices (padding dropped)."""
    return "".join(inv_vocab[int(i)] for i in indices if inv_vocab[int(i)] != PAD)
