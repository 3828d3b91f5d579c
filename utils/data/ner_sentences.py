"""Short CV-like and news-like sentences with BIO-tagged entities, for named-entity recognition.

    data = load_ner_sentences()            # 2,000 training and 400 test sentences, seed 0
    data["train_words"][0], data["train_tags"][0]
    (['Marcia', 'Doyle', 'joined', 'Kestrel', 'Robotics', 'in', 'May', '2016', '.'],
     ['B-PER', 'I-PER', 'O', 'B-ORG', 'I-ORG', 'O', 'B-DATE', 'I-DATE', 'O'])   # e.g.

Five entity types (``TYPES``): ``PER`` people, ``ORG`` companies, universities and hospitals,
``LOC`` cities and countries, ``DATE`` dates (a year, a month and year, a full date, a season)
and ``SKILL`` (programming languages, tools, methods, languages spoken). Each sentence is a
list of words (punctuation marks are words of their own) with one BIO tag per word: ``B-X``
on the first word of an entity of type X, ``I-X`` on the next ones, ``O`` elsewhere.
``LABELS`` fixes the 11 tags' order (their integer ids).

How the sentences are made. 55 training templates written here ("{PER} joined {ORG} in
{DATE}.") are filled with entities drawn from pools:

- people: US Census first names and surnames from the pinned ``names`` package (the 1,200
  most frequent first names of each sex and 3,000 most frequent surnames), written as
  "First Last", "First" alone or "First X. Last";
- organisations: a surname or a word from a list plus a suffix ("Kestrel Robotics",
  "Doyle Analytics"), or "University of <city>", "<city> General Hospital";
- places: 150 real cities and 40 countries, written here;
- dates: drawn from 1985-2025 in six formats; skills: 110 written here.

The test set is honest about generalisation: every pool is split once, with a fixed seed,
into a training part and a held-out part (first names, surnames, organisation words,
cities, countries, skills), and test sentences draw their entities from the held-out part
only, so no test person, organisation, place or skill appears in training. Only the 32
organisation suffixes ("Labs", "Bank"...) are shared, as a closed set of words like the
month names.
Eleven more templates are held out: half the test sentences use them
(``data["test_unseen_template"]`` marks those). Dates are drawn from the same range for
both (their words are a closed set: months and numbers).

Determinism: all choices come from ``numpy.random.default_rng`` with fixed seeds, so a seed
gives the same sentences on every machine.
"""

import re
from pathlib import Path

import numpy as np

from utils.data.manifest import DataFileError
from utils.data.packaged import import_packaged

TYPES = ("PER", "ORG", "LOC", "DATE", "SKILL")
LABELS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in ("B", "I"))
LABEL_TO_ID = {label: i for i, label in enumerate(LABELS)}
SPLIT_SEED = 2024  # the one split of every pool into training and held-out parts
HELD_OUT_FRACTION = 0.25
SHARED_POOLS = ("org_suffix",)  # a closed set, like month names: both sides use all of it

# Templates: slots {PER} {ORG} {LOC} {DATE} {SKILL}; the text between them is tagged O.
TEMPLATES = (
    "{PER} joined {ORG} in {DATE}.",
    "{PER} has worked at {ORG} since {DATE}.",
    "{PER} is a software engineer at {ORG} in {LOC}.",
    "Experienced in {SKILL} and {SKILL}.",
    "{ORG} hired {PER} to build its {SKILL} team.",
    "In {DATE}, {PER} moved from {LOC} to {LOC}.",
    "{PER} led a team of six at {ORG}, using {SKILL} every day.",
    "Skills: {SKILL}, {SKILL}, {SKILL}.",
    "{ORG} opened a new office in {LOC} on {DATE}.",
    "{PER} studied at {ORG} before joining {ORG}.",
    "Contact {PER} at the {LOC} office.",
    "{PER} taught {SKILL} at {ORG} from {DATE} to {DATE}.",
    "Shares of {ORG} rose after {PER} became chief executive in {DATE}.",
    "{PER} and {PER} founded {ORG} in {LOC}.",
    "The {LOC} branch of {ORG} is looking for someone who knows {SKILL}.",
    "{PER}, a data scientist based in {LOC}, specialises in {SKILL}.",
    "Certified in {SKILL} ({DATE}).",
    "On {DATE}, {ORG} announced a partnership with {ORG}.",
    "{PER} will speak at a conference in {LOC} next week.",
    "She completed a course in {SKILL} at {ORG}.",
    "{ORG} is based in {LOC}.",
    "{PER} received an award from {ORG} in {DATE}.",
    "Worked with {PER} on a {SKILL} project for {ORG}.",
    "{PER} was born in {LOC} in {DATE}.",
    "Intern at {ORG}, {LOC}, {DATE}.",
    "Responsible for {SKILL} and {SKILL} at {ORG}.",
    "{PER} met {PER} in {LOC} to discuss {SKILL}.",
    "After {DATE}, {PER} focused on {SKILL}.",
    "{ORG} appointed {PER} to its board on {DATE}.",
    "He has used {SKILL} since {DATE} and {SKILL} since {DATE}.",
    "{PER} left {ORG} to start a company in {LOC}.",
    "Our new colleague {PER} knows {SKILL} well.",
    "The mayor of {LOC} thanked {ORG} for the donation.",
    "{PER} managed the {SKILL} migration at {ORG}.",
    "Flights between {LOC} and {LOC} resumed on {DATE}.",
    "{PER} works as a nurse at {ORG}.",
    "Tools: {SKILL}, {SKILL}.",
    "Languages: {SKILL} and {SKILL}.",
    "{PER} runs a weekly {SKILL} workshop at {ORG}.",
    "Sales at {ORG} fell in {DATE}, {PER} told reporters in {LOC}.",
    "{PER} has been promoted to team lead at {ORG}.",
    "Freelance {SKILL} consultant, {LOC}, since {DATE}.",
    "The {ORG} team in {LOC} uses {SKILL} and {SKILL}.",
    "{PER} wrote a book about {SKILL} in {DATE}.",
    "Visitors from {LOC} and {LOC} attended the {ORG} summit.",
    "{PER} was named employee of the year at {ORG}.",
    "{ORG} signed a contract with officials in {LOC} on {DATE}.",
    "Fluent in {SKILL}; basic knowledge of {SKILL}.",
    "Ask {PER} or {PER} about the {SKILL} course.",
    "Teaching assistant for {SKILL} at {ORG} ({DATE}).",
    "{PER} retired from {ORG} in {DATE} after a long career.",
    "A new {ORG} factory near {LOC} will employ hundreds of people.",
    "Member of the {SKILL} working group at {ORG}.",
    "References available on request.",
    "Strong communication skills and a positive attitude.",
)
HELD_OUT_TEMPLATES = (
    "Reference: {PER}, manager at {ORG}.",
    "{PER} relocated to {LOC} to lead the {SKILL} group of {ORG}.",
    "Since {DATE} {PER} has been mentoring juniors in {SKILL}.",
    "Police in {LOC} said {PER} was not injured.",
    "{ORG} and {ORG} will merge in {DATE}, the companies said.",
    "Main tools: {SKILL} and {SKILL}.",
    "According to {PER}, {ORG} expects strong sales in {LOC}.",
    "{PER} gave a talk on {SKILL} at {ORG} in {DATE}.",
    "Volunteer tutor in {LOC} teaching {SKILL} ({DATE}).",
    "Available for interviews from {DATE}.",
    "Happy to share a portfolio on request.",
)

CITIES = (
    "London", "Paris", "Berlin", "Madrid", "Rome", "Lisbon", "Dublin", "Amsterdam",
    "Brussels", "Vienna", "Prague", "Warsaw", "Budapest", "Athens", "Stockholm", "Oslo",
    "Copenhagen", "Helsinki", "Zurich", "Geneva", "Milan", "Barcelona", "Munich", "Hamburg",
    "Lyon", "Marseille", "Porto", "Seville", "Valencia", "Krakow", "Tallinn", "Riga",
    "Vilnius", "Bucharest", "Sofia", "Belgrade", "Zagreb", "Istanbul", "Ankara", "Cairo",
    "Nairobi", "Lagos", "Accra", "Johannesburg", "Cape Town", "Casablanca", "Tunis",
    "Addis Ababa", "Kampala", "Dakar", "Tokyo", "Osaka", "Kyoto", "Seoul", "Busan",
    "Beijing", "Shanghai", "Shenzhen", "Hong Kong", "Taipei", "Singapore", "Bangkok",
    "Hanoi", "Manila", "Jakarta", "Kuala Lumpur", "Mumbai", "Delhi", "Bangalore", "Chennai",
    "Hyderabad", "Karachi", "Lahore", "Dhaka", "Colombo", "Kathmandu", "Dubai", "Doha",
    "Riyadh", "Tehran", "Baghdad", "Beirut", "Amman", "Jerusalem", "Sydney", "Melbourne",
    "Brisbane", "Perth", "Auckland", "Wellington", "Toronto", "Montreal", "Vancouver",
    "Ottawa", "Calgary", "New York", "Boston", "Chicago", "Seattle", "San Francisco",
    "Los Angeles", "San Diego", "Austin", "Houston", "Dallas", "Denver", "Atlanta", "Miami",
    "Philadelphia", "Pittsburgh", "Detroit", "Minneapolis", "Portland", "Phoenix",
    "Nashville", "Baltimore", "Cleveland", "Mexico City", "Guadalajara", "Monterrey",
    "Bogota", "Medellin", "Lima", "Quito", "Santiago", "Buenos Aires", "Montevideo",
    "Sao Paulo", "Rio de Janeiro", "Brasilia", "Caracas", "Havana", "Edinburgh", "Glasgow",
    "Manchester", "Liverpool", "Leeds", "Bristol", "Cardiff", "Belfast", "Cork", "Antwerp",
    "Rotterdam", "Utrecht", "Gothenburg", "Bergen", "Aarhus", "Turin", "Naples", "Florence",
    "Bologna", "Frankfurt", "Cologne", "Stuttgart", "Leipzig", "Dresden",
)
COUNTRIES = (
    "France", "Germany", "Spain", "Italy", "Portugal", "Ireland", "Poland", "Greece",
    "Sweden", "Norway", "Finland", "Denmark", "Austria", "Switzerland", "Belgium",
    "the Netherlands", "Hungary", "Romania", "Turkey", "Egypt", "Kenya", "Nigeria", "Ghana",
    "Morocco", "Ethiopia", "Japan", "China", "India", "Vietnam", "Thailand", "Indonesia",
    "Australia", "New Zealand", "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Peru",
    "Colombia",
)
ORG_WORDS = (
    "Kestrel", "Bluewater", "Northgate", "Ironbridge", "Silverline", "Redwood", "Greenfield",
    "Lighthouse", "Summit", "Harbor", "Granite", "Cobalt", "Orchid", "Falcon", "Meridian",
    "Pinecrest", "Stonebrook", "Brightpath", "Clearwater", "Sunrise", "Evergreen", "Atlas",
    "Beacon", "Crescent", "Horizon", "Keystone", "Maple", "Nimbus", "Oakridge", "Pioneer",
    "Quantum", "Riverside", "Sterling", "Tidewater", "Vertex", "Willow", "Zenith", "Aurora",
    "Copperfield", "Driftwood", "Emerald", "Foxglove", "Goldcrest", "Hawthorn", "Juniper",
    "Lakeshore", "Moonstone", "Northstar", "Opal", "Peregrine",
)
ORG_SUFFIXES = (
    "Analytics", "Labs", "Systems", "Group", "Bank", "Partners", "Health", "Logistics",
    "Robotics", "Foods", "Energy", "Media", "Studios", "Capital", "Insurance", "Software",
    "Consulting", "Technologies", "Pharmaceuticals", "Airlines", "Motors", "Networks",
    "Solutions", "Holdings", "Ventures", "Telecom", "Biotech", "Games", "Publishing",
    "Engineering", "Retail", "Security",
)
SKILLS = (
    "Python", "Java", "JavaScript", "TypeScript", "C++", "Rust", "Go", "Kotlin", "Swift",
    "Scala", "Ruby", "PHP", "SQL", "PostgreSQL", "MySQL", "MongoDB", "Redis", "Kafka",
    "Spark", "Hadoop", "Airflow", "Docker", "Kubernetes", "Terraform", "Ansible", "Linux",
    "Git", "Jenkins", "AWS", "Azure", "Google Cloud", "React", "Angular", "Vue", "Django",
    "Flask", "Node.js", "GraphQL", "TensorFlow", "PyTorch", "scikit-learn", "pandas",
    "NumPy", "Excel", "Tableau", "Power BI", "MATLAB", "R", "SAS", "Stata",
    "machine learning", "deep learning", "data analysis", "data engineering",
    "statistics", "computer vision", "natural language processing", "reinforcement learning",
    "time series forecasting", "A/B testing", "data visualisation", "web development",
    "mobile development", "cloud architecture", "network security", "penetration testing",
    "database design", "system design", "distributed systems", "embedded systems",
    "signal processing", "project management", "product management", "agile methods",
    "Scrum", "technical writing", "public speaking", "negotiation", "accounting",
    "financial modelling", "bookkeeping", "digital marketing", "search engine optimisation",
    "copywriting", "graphic design", "Photoshop", "Figma", "user research", "UX design",
    "video editing", "3D modelling", "CAD", "AutoCAD", "SolidWorks", "supply chain planning",
    "procurement", "quality assurance", "unit testing", "test automation", "Selenium",
    "customer support", "sales forecasting", "Spanish", "Mandarin", "German", "French",
    "Japanese", "Arabic", "sign language", "first aid",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SEASONS = ("spring", "summer", "autumn", "winter")
FIRST_YEAR, LAST_YEAR = 1985, 2025
N_FIRST_NAMES, N_SURNAMES = 1200, 3000

_WORD = re.compile(r"\w+(?:[.'+#/-]\w+)*\+*|[^\w\s]")
_SLOT = re.compile(r"\{(PER|ORG|LOC|DATE|SKILL)\}")


def split_words(text):
    """Words and punctuation marks of ``text``: ``"Hi, Node.js!"`` -> ``['Hi', ',', 'Node.js',
    '!']`` (dots, apostrophes, slashes, hyphens and ``+`` inside a word stay in it)."""
    return _WORD.findall(text)


def join_words(words):
    """The sentence as text: a space between words, none before ``. , : ; )`` or after ``(``."""
    text = ""
    for word in words:
        if text and word not in ".,:;)" and not text.endswith("("):
            text += " "
        text += word
    return text


def _census_names(filename, count):
    package = import_packaged("names", "names")
    path = Path(package.__file__).resolve().parent / filename
    if not path.is_file():
        raise DataFileError(f"{path} is missing from the installed names package: reinstall "
                            "it with `make setup`.")
    rows = [line.split()[0] for line in path.read_text(encoding="ascii").splitlines()
            if line.strip()][:count]
    return [name.capitalize() for name in rows]


def _split(pool, salt):
    """(training part, held-out part) of a pool: a fixed shuffle, a quarter held out."""
    pool = sorted(set(pool))
    order = np.random.default_rng([SPLIT_SEED, salt]).permutation(len(pool))
    n_held = max(1, round(HELD_OUT_FRACTION * len(pool)))
    held = sorted(pool[i] for i in order[:n_held])
    kept = sorted(pool[i] for i in order[n_held:])
    return kept, held


def entity_pools():
    """The pools entities are drawn from: ``{"train": {...}, "test": {...}}``, each mapping
    ``first``, ``surname``, ``org_word``, ``org_suffix``, ``city``, ``country``, ``skill`` to
    a sorted list. The two sides share no element, except the organisation suffixes."""
    first = (_census_names("dist.male.first", N_FIRST_NAMES)
             + _census_names("dist.female.first", N_FIRST_NAMES))
    pools = {"first": first, "surname": _census_names("dist.all.last", N_SURNAMES),
             "org_word": ORG_WORDS, "org_suffix": ORG_SUFFIXES, "city": CITIES,
             "country": COUNTRIES, "skill": SKILLS}
    # a name that is both a first name and a surname (e.g. James) goes to one side only
    both = set(pools["first"]) & set(pools["surname"])
    sides = {"train": {}, "test": {}}
    for salt, (key, pool) in enumerate(pools.items()):
        kept, held = _split(pool, salt) if key not in SHARED_POOLS else (sorted(pool), sorted(pool))
        sides["train"][key], sides["test"][key] = kept, held
    for key in ("first", "surname"):
        other = "surname" if key == "first" else "first"
        for side, opposite in (("train", "test"), ("test", "train")):
            sides[side][key] = [n for n in sides[side][key]
                                if not (n in both and n in sides[opposite][other])]
    return sides


def _person(rng, pool):
    first = pool["first"][rng.integers(len(pool["first"]))]
    surname = pool["surname"][rng.integers(len(pool["surname"]))]
    form = rng.random()
    if form < 0.7:
        return f"{first} {surname}"
    if form < 0.85:
        return first
    initial = "ABCDEFGHJKLMNPRSTW"[rng.integers(18)]
    return f"{first} {initial}. {surname}"


def _organisation(rng, pool):
    form = rng.random()
    if form < 0.8:
        words = pool["org_word"] if rng.random() < 0.5 else pool["surname"]
        word = words[rng.integers(len(words))]
        return f"{word} {pool['org_suffix'][rng.integers(len(pool['org_suffix']))]}"
    city = pool["city"][rng.integers(len(pool["city"]))]
    return f"University of {city}" if form < 0.92 else f"{city} General Hospital"


def _place(rng, pool):
    key = "city" if rng.random() < 0.75 else "country"
    return pool[key][rng.integers(len(pool[key]))]


def _date(rng):
    year = int(rng.integers(FIRST_YEAR, LAST_YEAR + 1))
    month = MONTHS[rng.integers(12)]
    day = int(rng.integers(1, 29))
    form = rng.integers(6)
    return (str(year), f"{month} {year}", f"{day} {month} {year}", f"{month} {day}, {year}",
            f"{SEASONS[rng.integers(4)]} {year}", f"{month} {year}")[form]


def _fill(template, rng, pool):
    """Words and tags of one template filled with entities from ``pool``."""
    words, tags = [], []
    position = 0
    for match in _SLOT.finditer(template):
        literal = split_words(template[position:match.start()])
        words += literal
        tags += ["O"] * len(literal)
        kind = match.group(1)
        if kind == "PER":
            text = _person(rng, pool)
        elif kind == "ORG":
            text = _organisation(rng, pool)
        elif kind == "LOC":
            text = _place(rng, pool)
        elif kind == "DATE":
            text = _date(rng)
        else:
            text = pool["skill"][rng.integers(len(pool["skill"]))]
        entity = split_words(text)
        words += entity
        tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(entity) - 1)
        position = match.end()
    literal = split_words(template[position:])
    words += literal
    tags += ["O"] * len(literal)
    if words and words[0][0].islower():
        words[0] = words[0][0].upper() + words[0][1:]  # "spring 2019, ..." at the start
    return words, tags


def make_sentences(n, seed=0, split="train", pools=None):
    """``n`` sentences as ``(words, tags, unseen_template)``: lists of word lists, tag
    lists and booleans. ``split="train"`` uses the training templates and entities;
    ``split="test"`` the held-out entities, with held-out templates for every other
    sentence."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    pool = (entity_pools() if pools is None else pools)[split]
    rng = np.random.default_rng([seed, 0 if split == "train" else 1])
    all_words, all_tags, unseen = [], [], []
    for i in range(n):
        held = split == "test" and i % 2 == 1
        templates = HELD_OUT_TEMPLATES if held else TEMPLATES
        words, tags = _fill(templates[rng.integers(len(templates))], rng, pool)
        all_words.append(words)
        all_tags.append(tags)
        unseen.append(held)
    return all_words, all_tags, unseen


def load_ner_sentences(n_train=2000, n_test=400, seed=0):
    """Training and test sentences: a dict with ``train_words``, ``train_tags``,
    ``test_words``, ``test_tags`` (lists of lists of strings) and ``test_unseen_template``
    (a list of booleans). The same lists on every call with the same arguments."""
    pools = entity_pools()
    train_words, train_tags, _ = make_sentences(n_train, seed, "train", pools)
    test_words, test_tags, unseen = make_sentences(n_test, seed, "test", pools)
    return {"train_words": train_words, "train_tags": train_tags, "test_words": test_words,
            "test_tags": test_tags, "test_unseen_template": unseen}
