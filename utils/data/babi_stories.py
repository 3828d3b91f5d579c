"""Short stories with questions in the style of the bAbI tasks, for extractive question answering.

    data = load_babi_qa()                   # training and held-out examples, fixed seeds
    example = data["train"][0]
    example["context"]   # 'Mary went to the kitchen. John picked up the apple. ...'
    example["question"]  # 'Where is Mary?'
    example["answer"]    # 'kitchen'
    example["answer_start"]  # character index of the answer in the context
    example["task"]      # one of TASKS

People move between places, pick up, drop and hand over objects; a simulator keeps track of
where everyone and everything is, and asks questions whose answer is a word of the story
(so that a reader can point at it). Five kinds of question (``TASKS``), after the bAbI tasks
of Weston et al. (2015), rewritten here:

- ``where_person`` "Where is Mary?": the place of the person's last move;
- ``where_object`` "Where is the apple?": where its carrier is now, or where it was dropped
  (two supporting facts: who has it, and where that person went);
- ``where_before`` "Where was the apple before the garden?": the place the object was in
  just before it reached the named place (the object's own history, not the person's);
- ``carrying`` "What is John carrying?": asked only when the person holds exactly one object;
- ``who_gave`` "Who gave the apple to Mary?": the giver of a hand-over told in the story.

``answer_start`` is the character position of the answer in the sentence that supports it
(the latest move, pick-up or hand-over that settles the question); the same word may also
appear elsewhere in the story.

Held-out stories test unseen combinations: a quarter of the names, places and objects
(``HELD_OUT``) never appear in a training story, and every held-out story uses at least one
of them beside the familiar ones. Everything is drawn from ``numpy.random.default_rng`` with
fixed seeds: a seed gives the same stories on every machine.
"""

import numpy as np

TASKS = ("where_person", "where_object", "where_before", "carrying", "who_gave")

NAMES = ("Mary", "John", "Sandra", "Daniel", "Fatima", "Kenji", "Olga", "Pedro", "Amina",
         "Lucas", "Priya", "Tomas", "Ingrid", "Kwame", "Mei", "Omar")
PLACES = ("kitchen", "garden", "hallway", "bathroom", "bedroom", "office", "cellar",
          "balcony", "garage", "library", "attic", "pantry")
OBJECTS = ("apple", "football", "milk", "key", "book", "umbrella", "candle", "hat",
           "guitar", "ladder", "lamp", "basket")
# Words that only held-out stories use (a quarter of each list).
HELD_OUT = {"names": ("Kwame", "Mei", "Omar", "Ingrid"),
            "places": ("attic", "pantry", "library"),
            "objects": ("lamp", "basket", "ladder")}

MOVES = ("went to the", "moved to the", "travelled to the", "journeyed to the",
         "went back to the", "ran to the")
PICKS = ("picked up the", "grabbed the", "took the", "got the")
DROPS = ("dropped the", "put down the", "left the", "discarded the")
GIVES = ("gave the {o} to {p}", "handed the {o} to {p}", "passed the {o} to {p}")

TRAIN_SEED = 0
TEST_SEED = 1
# Held-out stories first drawn after the QA reader's recipe was fixed: the builder's trial runs
# were scored on TEST_SEED stories, so only these give a clean test (the notebook uses them).
FRESH_TEST_SEED = 2026
MIN_SENTENCES, MAX_SENTENCES = 5, 7


def vocabulary(split):
    """(names, places, objects) a story of ``split`` ("train" or "test") draws from."""
    pools = {"names": NAMES, "places": PLACES, "objects": OBJECTS}
    if split == "train":
        return tuple(tuple(w for w in pools[k] if w not in HELD_OUT[k]) for k in pools)
    if split == "test":
        return tuple(pools[k] for k in pools)
    raise ValueError(f"split must be 'train' or 'test', got {split!r}")


class _Story:
    """A world being narrated: sentences plus where everyone and everything is."""

    def __init__(self):
        self.text = ""
        self.place = {}  # person -> (place, char index of that place in the text)
        self.holder = {}  # object -> person holding it
        self.lying = {}  # object -> (place, char index) where it was dropped
        self.history = {}  # object -> list of (place, char index of the supporting mention)
        self.gives = []  # (giver, object, receiver, char index of the giver's name)

    def say(self, sentence):
        start = len(self.text) + (1 if self.text else 0)
        self.text = f"{self.text} {sentence}" if self.text else sentence
        return start

    def held_by(self, person):
        return [o for o, p in self.holder.items() if p == person]

    def object_place(self, obj):
        if obj in self.holder:
            return self.place[self.holder[obj]]
        return self.lying.get(obj)

    def _note(self, obj):
        where = self.object_place(obj)
        history = self.history.setdefault(obj, [])
        if where is not None and (not history or history[-1][0] != where[0]):
            history.append(where)
        elif where is not None:
            history[-1] = where  # the latest mention of the same place supports it

    def move(self, person, place, verb):
        start = self.say(f"{person} {verb} {place}.")
        self.place[person] = (place, start + len(f"{person} {verb} "))
        for obj in self.held_by(person):
            self._note(obj)

    def pick(self, person, obj, verb):
        self.say(f"{person} {verb} {obj}.")
        self.lying.pop(obj, None)
        self.holder[obj] = person
        self._note(obj)

    def drop(self, person, obj, verb):
        self.say(f"{person} {verb} {obj}.")
        del self.holder[obj]
        self.lying[obj] = self.place[person]

    def give(self, person, obj, other, pattern):
        start = self.say(f"{person} {pattern.format(o=obj, p=other)}.")
        self.holder[obj] = other
        self.gives.append((person, obj, other, start))


def _narrate(rng, names, places, objects, n_sentences):
    story = _Story()
    cast = [str(p) for p in rng.choice(names, size=int(rng.integers(2, 4)), replace=False)]
    things = [str(o) for o in rng.choice(objects, size=int(rng.integers(1, 3)), replace=False)]
    for person in cast:  # everyone's place is known before anything else happens
        story.move(person, str(rng.choice(places)), str(rng.choice(MOVES)))
    while story.text.count(".") < n_sentences:
        person = cast[int(rng.integers(len(cast)))]
        here = story.place[person][0]
        held = story.held_by(person)
        free = [o for o in things if o not in story.holder
                and (o not in story.lying or story.lying[o][0] == here)]
        mates = [p for p in cast if p != person and story.place[p][0] == here]
        options = ["move", "move"] + ["pick"] * bool(free) * 2 + ["drop"] * bool(held)
        options += ["give"] * 4 * bool(held and mates)
        action = options[int(rng.integers(len(options)))]
        if action == "move":
            # half the moves join someone else, so that people meet and hand things over
            others = sorted({story.place[p][0] for p in cast} - {here})
            pool = others if others and rng.random() < 0.5 else [p for p in places if p != here]
            story.move(person, str(rng.choice(pool)), str(rng.choice(MOVES)))
        elif action == "pick":
            story.pick(person, str(rng.choice(free)), str(rng.choice(PICKS)))
        elif action == "drop":
            story.drop(person, str(rng.choice(held)), str(rng.choice(DROPS)))
        else:
            story.give(person, str(rng.choice(held)), str(rng.choice(mates)),
                       str(rng.choice(GIVES)))
    return story, cast, things


def _questions(story, cast, things):
    """Every answerable question of each task: {task: [(question, answer, start), ...]}."""
    found = {task: [] for task in TASKS}
    for person in cast:
        place, start = story.place[person]
        found["where_person"].append((f"Where is {person}?", place, start))
        held = story.held_by(person)
        if len(held) == 1:
            obj = held[0]
            # the supporting sentence: the pick-up or the hand-over that gave it to them
            start = _last_mention(story.text, person, obj)
            found["carrying"].append((f"What is {person} carrying?", obj, start))
    for obj in things:
        where = story.object_place(obj)
        if where is not None and obj in story.history:
            found["where_object"].append((f"Where is the {obj}?", where[0], where[1]))
        history = story.history.get(obj, [])
        names = [p for p, _ in history]
        for i in range(1, len(history)):
            if names.count(names[i]) == 1 and names.count(names[i - 1]) == 1:
                found["where_before"].append(
                    (f"Where was the {obj} before the {names[i]}?", names[i - 1],
                     history[i - 1][1]))
    pairs = [(o, r) for _, o, r, _ in story.gives]
    for giver, obj, receiver, start in story.gives:
        if pairs.count((obj, receiver)) == 1:
            found["who_gave"].append((f"Who gave the {obj} to {receiver}?", giver, start))
    return found


def _last_mention(text, person, obj):
    """Index of ``obj`` in the last sentence where ``person`` received it."""
    best = -1
    for verb in PICKS:
        best = max(best, text.rfind(f"{person} {verb} {obj}.") + len(f"{person} {verb} "))
    for pattern in GIVES:
        phrase = " " + pattern.format(o=obj, p=person) + "."
        at = text.rfind(phrase)
        if at >= 0:
            best = max(best, at + len(phrase) - len(f"{obj} to {person}."))
    return best


def make_examples(n_stories, split="train", seed=None):
    """A list of question-answering examples from ``n_stories`` stories of ``split``.

    Each story yields at most one question of each task, chosen at random among the
    answerable ones; a held-out story (``split="test"``) always uses at least one
    held-out word. Each example is a dict with ``context``, ``question``, ``answer``,
    ``answer_start`` (character index into ``context``), ``task`` and ``story`` (its index).
    """
    names, places, objects = vocabulary(split)
    seed = (TRAIN_SEED if split == "train" else TEST_SEED) if seed is None else seed
    rng = np.random.default_rng(seed)
    held_out = {w for words in HELD_OUT.values() for w in words}
    examples, story_index = [], 0
    while story_index < n_stories:
        n_sentences = int(rng.integers(MIN_SENTENCES, MAX_SENTENCES + 1))
        story, cast, things = _narrate(rng, names, places, objects, n_sentences)
        if split == "test" and not any(w in held_out for w in story.text[:-1].replace(
                ".", " ").split()):
            continue
        for task, found in _questions(story, cast, things).items():
            if not found:
                continue
            question, answer, start = found[int(rng.integers(len(found)))]
            assert story.text[start:start + len(answer)] == answer, (story.text, answer)
            examples.append({"context": story.text, "question": question, "answer": answer,
                             "answer_start": int(start), "task": task, "story": story_index})
        story_index += 1
    return examples


def load_babi_qa(n_train=1000, n_test=300, test_seed=TEST_SEED):
    """``{"train": [...], "test": [...]}``: examples of ``n_train`` training stories (seed
    ``TRAIN_SEED``) and ``n_test`` held-out stories (seed ``test_seed``)."""
    return {"train": make_examples(n_train, "train"),
            "test": make_examples(n_test, "test", seed=test_seed)}
