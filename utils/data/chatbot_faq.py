"""The chatbot's FAQ and its question sets, for Course 5 week 4's chatbot notebook.

Both files were written by hand for this repository and are checked against
``datasets/MANIFEST`` before they are read:

- ``chatbot/faq.toml``: 191 answers about the programme's own topics (dropout, batch norm,
  attention, residual connections, the triplet loss, NMS...). Each entry has an ``id``
  (a unique slug), a ``topic`` tag, the ``question`` it answers, ``also`` (other words a
  learner may use for it: synonyms, abbreviations), ``examples`` (three questions as
  learners might ask them) and the ``answer`` (1-3 sentences).
- ``chatbot/questions.toml``: questions a learner might ask, in two sets. ``tuning`` holds
  every question that has been looked at (those the FAQ was written with and two earlier
  test sets), and the notebook chooses its weights and threshold on it; ``test`` was
  written after everything was final and is used only to measure. Each set holds
  ``paraphrases`` (question, id),
  ``off_topic`` questions that the FAQ cannot answer and ``follow_ups`` (first question,
  follow-up, id answering the follow-up).

    faq = load_faq()                   # list of dicts, in the file's order
    sets = load_questions()            # {"tuning": {...}, "test": {...}}
"""

import tomllib

from utils.data.manifest import DataFileError, verified_path

FAQ_PATH = "chatbot/faq.toml"
QUESTIONS_PATH = "chatbot/questions.toml"
FIELDS = ("id", "topic", "question", "also", "examples", "answer")
TEXT_FIELDS = ("id", "topic", "question", "also", "answer")
SETS = ("tuning", "test")


def _read(relative, path):
    path = verified_path(relative) if path is None else path
    try:
        with open(path, "rb") as handle:
            return path, tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{path}: not valid TOML ({error})") from error


def load_faq(path=None):
    """The FAQ as a list of dicts with the keys ``id``, ``topic``, ``question``, ``also``,
    ``answer`` (strings) and ``examples`` (a list of strings), in the file's order; ids are
    unique."""
    path, data = _read(FAQ_PATH, path)
    entries = data.get("entry", [])
    if not entries:
        raise DataFileError(f"{path}: no [[entry]] tables")
    seen = set()
    for number, entry in enumerate(entries, 1):
        missing = [f for f in TEXT_FIELDS if not isinstance(entry.get(f), str) or not entry[f]]
        examples = entry.get("examples")
        if not (isinstance(examples, list) and examples
                and all(isinstance(x, str) and x for x in examples)):
            missing.append("examples (a list of questions)")
        if missing:
            raise DataFileError(f"{path}: entry {number} lacks {', '.join(missing)}")
        if entry["id"] in seen:
            raise DataFileError(f"{path}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
    return [{f: entry[f] for f in FIELDS} for entry in entries]


def load_questions(path=None, faq_ids=None):
    """``{"tuning": s, "test": s}``, each ``s`` a dict with ``paraphrases`` (list of
    ``(question, id)``), ``off_topic`` (list of questions) and ``follow_ups`` (list of
    ``(first question, follow-up, id)``). Every id must be a FAQ id (``faq_ids``, by default
    those of :func:`load_faq`)."""
    path, data = _read(QUESTIONS_PATH, path)
    faq_ids = {e["id"] for e in load_faq()} if faq_ids is None else set(faq_ids)
    sets = {}
    for name in SETS:
        part = data.get(name)
        if not isinstance(part, dict):
            raise DataFileError(f"{path}: no [{name}] table")
        try:
            paraphrases = [(str(q), str(i)) for q, i in part["paraphrases"]]
            off_topic = [str(q) for q in part["off_topic"]]
            follow_ups = [(str(a), str(b), str(i)) for a, b, i in part["follow_ups"]]
        except (KeyError, ValueError, TypeError) as error:
            raise DataFileError(f"{path}: [{name}] needs paraphrases [question, id], "
                                "off_topic [question] and follow_ups [first, follow-up, id] "
                                f"({error!r})") from error
        named = {i for _, i in paraphrases} | {i for _, _, i in follow_ups}
        unknown = sorted(named - faq_ids)
        if unknown:
            raise DataFileError(f"{path}: [{name}] names ids that the FAQ lacks: {unknown}")
        sets[name] = {"paraphrases": paraphrases, "off_topic": off_topic,
                      "follow_ups": follow_ups}
    overlap = ({q for q, _ in sets["tuning"]["paraphrases"]}
               & {q for q, _ in sets["test"]["paraphrases"]})
    if overlap:
        raise DataFileError(f"{path}: questions in both sets: {sorted(overlap)[:3]}")
    return sets
