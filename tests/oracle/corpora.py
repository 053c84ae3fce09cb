"""Random corpora: posts in many scripts imported in batches, re-imported, deleted, coded, indexed in steps.

A corpus is a plan (a list of steps) applied to a fresh project through the public entry points: the
store's batch writer (as an import writes), ``archive.coding`` for coders and codings, and
``index.indexer.catch_up``/``rebuild`` between steps, so that the index ends up with many segments,
merges, updated and deleted documents. The plan is plain data, so a failing corpus can be printed.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from archive.coding.blind import set_blind_mode
from archive.coding.codebook_edit import CodeDraft, add_code, merge_codes, rename_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code, remove_code
from archive.coding.errors import CodingError
from archive.coding.status import complete_post, mark_no_code_applies, reopen_post
from archive.coding.undo import redo, undo
from archive.importing.batch_writer import BatchWriter
from archive.importing.batches import Batch
from archive.importing.records import AuthorRecord, MediaRecord, PostKind, PostRecord, Tombstone
from archive.jobs import drain
from archive.store.project import Project
from index.indexer import catch_up, rebuild

from .draw import Draw

# Words of posts and queries. Every entry is one for which the oracle's simple analysis (tests/oracle/
# text.py) and the documented rules provably agree: accents only on Latin/Greek letters of U+00C0-U+03FF
# whose marks are in U+0300-U+036F, no Arabic-Indic digits, no half-width kana, nothing beyond the BMP but
# emoji (not words). "uncoded" and capital AND/OR/NOT are left out: the query language reads them as
# operators, not words.
ENGLISH = (
    "run",
    "runs",
    "running",
    "runner",
    "ran",
    "harass",
    "harassed",
    "harassment",
    "harassing",
    "woman",
    "women",
    "work",
    "works",
    "worked",
    "working",
    "believe",
    "believed",
    "survivor",
    "survivors",
    "happy",
    "happiness",
    "die",
    "dying",
    "died",
    "lie",
    "lying",
    "lies",
    "the",
    "to",
    "me",
    "too",
    "not",
    "is",
    "it",
    "a",
    "story",
    "stories",
    "years",
    "took",
    "say",
    "men",
    "generous",
    "general",
    "university",
    "universe",
    "and",
    "or",
    "The",
    "WOMEN",
    "Running",
    "MeToo",
    "metoo",
    "Not",
    "ana_r",
    "snake_case",
    "2017",
    "10",
)
OTHER = (
    "café",
    "Café",
    "CAFÉ",
    "cafe",
    "cafés",
    "résistance",
    "resistance",
    "naïve",
    "naive",
    "élève",
    "œuvre",
    "oeuvre",
    "cœur",
    "Straße",
    "strasse",
    "niña",
    "año",
    "São",
    "Ærø",
    "Αθήνα",
    "αθηνα",
    "γυναίκες",
    "ΚΑΛΟΣ",
    "καλός",
    "私も女性です",
    "女性",
    "運動",
    "性暴力",
    "東京",
    "女",
    "メートゥー",
    "ひとり",
    "성폭력을",
    "반대합니다",
    "미투",
    "성폭력",
    "كتاب",
    "کتاب",
    "كِتَاب",
    "می‌خواهم",
    "میخواهم",
    "بگویم",
    "أنا",
    "انا",
    "גם",
    "אני",
    "נשים",
    "நானும்",
    "கூட",
    "பெண்",
    "महिला",
    "मैं",
    "भी",
    "ｍｅｔｏｏ",
    "MeToo運動",
    "abc女性",
    "e\u0301le\u0300ve",
)
NOISE = ("💔", "❤️", "👩\u200d💻", "!", "—", "...", "don't", "10:30", "e-mail", "https://t.co/x", "#MeToo", "@ana_r")
VOCABULARY = ENGLISH + OTHER
# Words in a large share of posts: the engine reads such words and phrases of them by other paths (a pass
# over the word column, word sequences of a few posts) than rare ones.
COMMON = ("the", "to", "me", "too", "women", "metoo", "the", "the")
HASHTAGS = ("MeToo", "metoo", "METOO", "BelieveSurvivors", "MoiAussi", "MeToo運動", "미투", "Solidarität", "café")
AUTHORS = (
    AuthorRecord("twitter", "1", "ana_r", "Ana Reyes"),
    AuthorRecord("twitter", "2", "BenWren", "Ben Wren"),
    AuthorRecord("twitter", "3", "cleo", "Cléo Varga"),
    AuthorRecord("twitter", "4", "zoe", "Zoë O'Brien"),
    AuthorRecord("twitter", "5", "yuki", "佐藤 由紀"),
    AuthorRecord("twitter", "6", "Ana_R2", "ana"),
    AuthorRecord("twitter", "7", None, None),
    AuthorRecord("mastodon", "1", "jo", "Jo Running Women"),
)
RENAMED = ("ana_reyes", "ben", "Cléo_V")  # later imports may rename an account
RENAMES = 0.05  # how often a record renames its account (see _record)
MENTIONS = ("ana_r", "BenWren", "cleo", "someone_else", "Zoë")
LANGS = ("en", "en", "en", "fr", "ja", "ko", "fa", "ta", "he", "hi", "und", "pt-BR", None)
DAYS = ("2017-09-30", "2017-10-01", "2017-10-15", "2017-10-16", "2017-10-31", "2017-11-02", "2018-01-05", "2016-02-29")
TIMES = ("00:00:00", "10:00:00", "23:59:59")
CODERS = ("ana", "Ben", "Cléo")
CODES = ("backlash", "Male Survivor", "Solidarität", "humour")
NEW_CODE_NAMES = ("push back", "Humor", "solidarity")
ACTIONS = ("apply", "apply", "apply", "remove", "none", "done", "reopen", "rename", "merge", "undo", "redo")


@dataclass(frozen=True, slots=True)
class Import:
    """One batch of an import: records and delete notices, written in one transaction."""

    records: tuple[PostRecord, ...]
    tombstones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Coding:
    """One coding action: apply, remove, none (no code applies), done, reopen, rename or merge (a code),
    undo or redo (the coder's last action)."""

    action: str
    post: str = ""
    code: int = 0
    coder: int = 0
    new_name: str = ""


@dataclass(frozen=True, slots=True)
class Index:
    """Bring the index up to date: ``catch-up`` (a commit, a segment) or ``rebuild``."""

    how: str


Step = Import | Coding | Index


@dataclass(slots=True)
class Plan:
    """A corpus: its steps, and the post ids it imports (the ids queries ask about)."""

    steps: list[Step] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    blind: bool = False


def plan(draw: Draw, *, posts: int = 40) -> Plan:
    """A random corpus of about ``posts`` records over several batches, with coding and index steps."""
    if draw.chance(0.08):
        posts *= 6  # now and then enough posts for posting lists of several blocks (128 posts a block)
    result = Plan(ids=[str(100 + n) for n in range(posts)], blind=draw.chance(0.4))
    seen: list[str] = []
    batches = draw.integer(1, 6)
    for number in range(batches):
        result.steps.append(_batch(draw, result.ids, seen, posts // batches + 1, number))
        if draw.chance(0.8):
            result.steps.append(Index("catch-up"))
        for _ in range(draw.integer(0, 12)):
            result.steps.append(_coding(draw, seen))
            if draw.chance(0.3):
                result.steps.append(Index("catch-up"))
        if draw.chance(0.1):
            result.steps.append(Index("rebuild"))
    result.steps.append(Index("rebuild" if draw.chance(0.15) else "catch-up"))
    return result


def later(draw: Draw, corpus: Plan) -> list[Step]:
    """A change made while searches are open (an import, or some coding), then a catch-up; the steps
    are added to the plan too, so that a printed plan tells the whole story."""
    seen = list(dict.fromkeys(r.native_id for s in corpus.steps if isinstance(s, Import) for r in s.records))
    if draw.chance(0.4):
        steps: list[Step] = [_batch(draw, corpus.ids, seen, 8, len(corpus.steps))]
    else:
        steps = [_coding(draw, seen) for _ in range(draw.integer(1, 4))]
    steps.append(Index("catch-up"))
    corpus.steps.extend(steps)
    return steps


def _batch(draw: Draw, ids: list[str], seen: list[str], size: int, number: int) -> Import:
    records = []
    for _ in range(draw.integer(max(1, size // 2), size)):
        again = seen and draw.chance(0.2)  # a re-import of a post seen before, perhaps changed
        native = draw.choice(seen) if again else draw.choice(ids)
        records.append(_record(draw, native, ids, number))
        if native not in seen:
            seen.append(native)
    stones = tuple(draw.choice(ids) for _ in range(draw.integer(0, 2))) if draw.chance(0.3) else ()
    return Import(tuple(records), stones)


def _record(draw: Draw, native: str, ids: list[str], number: int) -> PostRecord:
    author = draw.choice(AUTHORS)
    # Now and then a later record renames its account: every post of the account must then be found by the
    # new handle (once a bug: tests/index/test_oracle_regressions.py::
    # test_a_renamed_account_is_found_by_its_new_handle_in_every_post).
    if number and draw.chance(RENAMES) and author.handle:
        author = AuthorRecord(author.platform, author.native_id, draw.choice(RENAMED), author.name)
    repost = draw.chance(0.1)
    return PostRecord(
        platform=author.platform,
        native_id=native,
        author=author if draw.chance(0.95) else None,
        kind=PostKind.CONTEXT if draw.chance(0.2) else PostKind.COLLECTED,
        created_at=f"{draw.choice(DAYS)}T{draw.choice(TIMES)}Z" if draw.chance(0.93) else None,
        text=text(draw),
        lang=draw.choice(LANGS),
        reply_to=draw.choice(ids) if draw.chance(0.25) else None,
        root=draw.choice(ids) if draw.chance(0.05) else None,
        quote_of=draw.choice(ids) if draw.chance(0.1) else None,
        repost_of=draw.choice(ids) if repost else None,
        is_repost=draw.chance(0.05),
        truncated=draw.chance(0.05),
        deleted=draw.chance(0.05),
        hashtags=[draw.choice(HASHTAGS) for _ in range(draw.integer(0, 2))],
        mentions=[draw.choice(MENTIONS) for _ in range(draw.integer(0, 1))],
        urls=["https://example.org/a"] if draw.chance(0.15) else [],
        media=[MediaRecord("photo", "https://pbs.twimg.com/a.jpg")] if draw.chance(0.1) else [],
    )


def text(draw: Draw) -> str:
    """A post text: words of the vocabulary, now and then noise, joined by spaces or punctuation."""
    words = []
    for _ in range(draw.integer(0, 14)):
        source = NOISE if draw.chance(0.1) else COMMON if draw.chance(0.3) else VOCABULARY
        words.append(draw.choice(source))
        words.append(draw.choice((" ", " ", " ", ", ", ". ", "")) if words[-1] else " ")
    return "".join(words).strip()


def _coding(draw: Draw, seen: list[str]) -> Coding:
    if not seen:
        return Coding("rename", code=draw.integer(0, len(CODES) - 1), new_name=draw.choice(NEW_CODE_NAMES))
    action = draw.choice(ACTIONS)
    return Coding(
        action,
        post=draw.choice(seen),
        code=draw.integer(0, len(CODES) - 1),
        coder=draw.integer(0, len(CODERS) - 1),
        new_name=draw.choice(NEW_CODE_NAMES),
    )


@dataclass(frozen=True, slots=True)
class Setup:
    """The ids of the coders and codes every corpus starts with, in the order of CODERS and CODES."""

    coders: list[int]
    codes: list[int]


def build(project: Project, corpus: Plan) -> Setup:
    """Apply the plan's steps to an empty project, then leave blind mode as the plan says."""
    db = project.db
    coders = [add_coder(db, name).id for name in CODERS]
    setup = Setup(coders, [add_code(db, coders[0], CodeDraft(name)).id for name in CODES])
    apply(project, setup, corpus.steps, 1)
    set_blind_mode(db, corpus.blind, coders[0])
    return setup


def apply(project: Project, setup: Setup, steps: list[Step], first: int) -> None:
    """Apply ``steps``, numbered from ``first`` (an import's id is its step's number)."""
    for number, step in enumerate(steps, start=first):
        if isinstance(step, Import):
            write(project, step, number)
        elif isinstance(step, Coding):
            code(project, step, setup.coders, setup.codes)
        else:
            drain(rebuild(project) if step.how == "rebuild" else catch_up(project))


def write(project: Project, step: Import, import_id: int) -> None:
    """Store a batch as an import would: one transaction, index queue included (tests/index/conftest.py)."""
    with project.db.atomic():
        project.db.conn.execute(
            "INSERT OR IGNORE INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (?, 'oracle', 'x', 'test', 'running', '2026')",
            (import_id,),
        )
        stones = [Tombstone("twitter", native) for native in step.tombstones]
        BatchWriter(project.db.conn, import_id, "oracle.jsonl").write(Batch(list(step.records), tombstones=stones))


def code(project: Project, step: Coding, coders: list[int], codes: list[int]) -> None:
    """One coding action; one the store refuses (a code name taken, say) simply does not happen."""
    db, key, coder, code_id = project.db, f"twitter:{step.post}", coders[step.coder], codes[step.code]
    with suppress(CodingError):
        if step.action == "apply":
            apply_code(db, key, code_id, coder)
        elif step.action == "remove":
            remove_code(db, key, code_id, coder)
        elif step.action == "none":
            mark_no_code_applies(db, key, coder)
        elif step.action == "done":
            complete_post(db, key, coder)
        elif step.action == "reopen":
            reopen_post(db, key, coder)
        elif step.action in ("undo", "redo"):
            (undo if step.action == "undo" else redo)(db, coder)
        elif step.action == "merge":  # the code's codings move to the next code, and it is retired
            merge_codes(db, coders[0], code_id, codes[(step.code + 1) % len(codes)])
        else:
            rename_code(db, coders[0], code_id, step.new_name)
