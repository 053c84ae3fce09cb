"""Seeded generator of synthetic twarc2 search pages (X API v2 shape) for benchmarks and load tests.

``generate(path, n, seed)`` writes ``n`` posts as JSON Lines, one API response page of up to 100 posts per
line, with ``includes.users``, ``includes.tweets`` (the originals of retweets and quotes, reply parents),
``includes.media``, ``errors`` for replies to deleted posts, ``meta`` and ``__twarc``, as ``twarc2 search``
writes them. The same seed gives a byte-identical file. Posts are written newest first and streamed: only
a window of planned older posts (thread members, retweeted originals) is held in memory.

Script: ``python -m benchmarks.synth OUT N --seed S``.
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson

Tweet = dict[str, Any]

PAGE_SIZE = 100
MAX_TEXT = 280
RT_CUT = 139  # a v2 retweet's text is "RT @user: " plus the original, cut to 139 characters and "…"
TWITTER_EPOCH_MS = 1288834974657
MASK64 = (1 << 64) - 1
# Ids of posts outside the collection (context-only originals, deleted parents) set bit 21, which the ids
# of collected posts never set, so the two kinds can never collide.
EXTERNAL_BIT = 1 << 21
# How far ahead in the file (that is, how far back in time) a thread or a retweeted original may reach.
WINDOW = 1500
STREAM = 1 << 20  # words pre-drawn for English sentences
POOL = 64  # originals being retweeted at a time; the first few slots are the "viral" ones
RETRIEVED = datetime(2023, 2, 14, 9, 30, tzinfo=UTC)
QUERY = "#MeToo OR #MenToo OR #IHave OR #HowIWillChange OR #BalanceTonPorc OR #YoTambién"
SEARCH_URL = "https://api.twitter.com/2/tweets/search/all?" + urlencode(
    {
        "expansions": "author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
        "entities.mentions.username,attachments.media_keys",
        "tweet.fields": "attachments,author_id,conversation_id,created_at,edit_history_tweet_ids,entities,id,"
        "in_reply_to_user_id,lang,public_metrics,possibly_sensitive,referenced_tweets,reply_settings,source,text",
        "user.fields": "created_at,description,id,location,name,profile_image_url,protected,public_metrics,url,"
        "username,verified",
        "media.fields": "alt_text,duration_ms,height,media_key,preview_image_url,type,url,width,public_metrics",
        "start_time": "2017-10-01T00:00:00Z",
        "end_time": "2019-01-01T00:00:00Z",
        "query": QUERY,
        "max_results": 100,
    }
)


def _ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


def _words(block: str) -> list[str]:
    """A vocabulary written as whitespace-separated words."""
    return block.split()


# Share of the collection posted before each date: the #MeToo peak of mid-October 2017, then a long tail.
ACTIVITY = [
    ("2017-10-01", 0.0),
    ("2017-10-15", 0.01),
    ("2017-10-17", 0.12),
    ("2017-10-22", 0.36),
    ("2017-11-01", 0.50),
    ("2018-01-01", 0.64),
    ("2019-01-01", 1.0),
]
ACTIVITY_SHARE = [share for _, share in ACTIVITY]
ACTIVITY_MS = [_ms(day) for day, _ in ACTIVITY]

EN_WORDS = _words("""the to and I a of it that is in you this not for my was me we be have on are with all but so
what they about it's just do women men he as if who at your our was when can from don't one people no
more like been by had this there now him her all out time why how still know about up them because think
their only story every woman man also these years said never should want need even those being here
listen believe heard silence work again told stories speak matter change better today friends hope
someone anyone everyone nobody brave sorry learn listening survivors survivor harassment abuse consent
respect voices culture power boss office school coach colleague colleagues brother sister father mother
son sons daughter daughters family party bar street train night morning campaign movement posts post
feed timeline share shared sharing read reading said says saying hard easy wrong right enough real
really truth trust support supporting solidarity ally allies action actions behaviour pattern jokes joke
laughed laugh stayed quiet shame afraid fear anger angry tired grateful thankful strength healing
therapy help helpline report reported reporting police policy workplace industry media film music
sport church university class teacher students kids young older remember remembered forget forgot
thought thinking feel felt feeling world country city home safe safer unsafe space spaces line lines
call calling called out accountable accountability responsibility future generation raise raising
teach teaching taught show showed step forward back down together alone small big first last long
many much most less least always sometimes often week month year day days hours conversation
conversations question questions answer answers problem problems part whole list numbers counting
""")

LANGS: dict[str, tuple[str, list[str], list[str]]] = {
    # lang: (word joiner, vocabulary, hashtags used in that language)
    "es": (
        " ",
        _words("""yo también nosotras mujeres hombres historia historias acoso silencio trabajo
        nunca siempre hoy todos todas escuchar creer contar miedo valor apoyo amiga amigo calle noche
        jefe casa escuela cambiar juntas basta verdad respeto voz voces"""),
        ["YoTambién", "MeToo"],
    ),
    "fr": (
        " ",
        _words("""moi aussi femmes hommes histoire harcèlement silence travail jamais toujours
        aujourd'hui écouter croire raconter peur courage soutien amie ami rue soir patron maison école
        changer ensemble assez vérité respect parole voix"""),
        ["BalanceTonPorc", "MoiAussi"],
    ),
    "de": (
        " ",
        _words("""ich auch frauen männer geschichte belästigung schweigen arbeit nie immer heute
        zuhören glauben erzählen angst mut unterstützung freundin freund straße abend chef schule
        ändern zusammen genug wahrheit respekt stimme"""),
        ["MeToo", "Aufschrei"],
    ),
    "it": (
        " ",
        _words("""anche io donne uomini storia molestie silenzio lavoro mai sempre oggi ascoltare
        credere raccontare paura coraggio sostegno amica amico strada sera capo casa scuola cambiare
        insieme basta verità rispetto voce"""),
        ["QuellaVoltaChe", "MeToo"],
    ),
    "ja": (
        "",
        _words("私も 女性 男性 話 声 沈黙 仕事 今日 勇気 支援 聞く 信じる 変える 一緒に 本当 職場 学校"),
        ["MeToo", "私も"],
    ),
}
LANG_CW = list(accumulate([86.0, 4.5, 4.0, 2.0, 1.5, 2.0]))
LANG_CODES = ["en", "es", "fr", "de", "it", "ja"]
EN_TAGS = [
    "MeToo",
    "MeToo",
    "MeToo",
    "metoo",
    "HowIWillChange",
    "IHave",
    "MenToo",
    "TimesUp",
    "NotAllMen",
    "BelieveSurvivors",
    "YesAllWomen",
    "WhyIDidntReport",
    "SpeakUp",
    "Survivor",
    "METOO",
    "HimToo",
]
TAG_CW = list(accumulate(1.0 / (rank + 1) ** 0.7 for rank in range(len(EN_TAGS))))
ENDS = [".", ".", ".", "!", "?"]
JA_ENDS = ["。", "。", "！"]
EMOJI = ["💔", "🙏", "✊", "❤️", "😔", "👏🏽", "🌹", "💜"]
SOURCES = ["Twitter for iPhone", "Twitter for Android", "Twitter Web Client", "TweetDeck", "Twitter Lite"]
SOURCE_CW = list(accumulate([45.0, 30.0, 17.0, 5.0, 3.0]))
DOMAINS = ["example.org/news", "example.com/opinion", "example.net/blog", "example.org/helplines"]
SYLLABLES = _words("ka lo mi ren sa tu vel dor an is el ma ne ri os ta ul be fi go")
FIRST = _words("Alex Sam Jordan Chris Robin Kim Lee Noor Ana Tom Ravi Mia Leo Sara Omar Eva Ben Ines Kai Zoe")
LAST = _words("Hollis Marr Quint Varga Okoro Lind Baptiste Sato Ferris Amadi Novak Reyes Castell Wren")
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(slots=True)
class Post:
    """A tweet object plus what its page must carry for it: referenced posts, missing ids, media."""

    tweet: Tweet
    ms: int
    refs: list[Post] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)


class Text:
    """Builds a post's text piece by piece and records entity offsets (code points) as it goes."""

    __slots__ = ("hashtags", "mentions", "parts", "size", "urls")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.hashtags: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.urls: list[dict[str, Any]] = []

    def add(self, piece: str) -> None:
        self.parts.append(piece)
        self.size += len(piece)

    def hashtag(self, tag: str) -> None:
        start = self.size
        self.add("#" + tag)
        self.hashtags.append({"start": start, "end": self.size, "tag": tag})

    def mention(self, user: Tweet) -> None:
        start = self.size
        self.add("@" + user["username"])
        self.mentions.append({"start": start, "end": self.size, "username": user["username"], "id": user["id"]})

    def url(self, short: str, expanded: str, display: str) -> None:
        start = self.size
        self.add(short)
        self.urls.append(
            {"start": start, "end": self.size, "url": short, "expanded_url": expanded, "display_url": display}
        )

    def text(self) -> str:
        return "".join(self.parts)

    def entities(self) -> dict[str, Any]:
        found = {"hashtags": self.hashtags, "mentions": self.mentions, "urls": self.urls}
        return {key: value for key, value in found.items() if value}


class Synth:
    """The generator's state: users, the planned older posts (by file position) and the retweet pool."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.mix = (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & MASK64
        tail = self._pseudo_words(4000)
        self.words = EN_WORDS + tail
        # Zipf-like word frequencies; the made-up tail is about a tenth of the running words. Sentences are
        # slices of one long pre-drawn stream: drawing words one by one was most of the generator's time.
        word_cw = list(
            accumulate((1.0 if rank < len(EN_WORDS) else 0.15) / (rank + 3) for rank in range(len(self.words)))
        )
        self.stream = self.rng.choices(self.words, cum_weights=word_cw, k=STREAM)
        self.users = [self._user(index) for index in range(min(50_000, 200 + n // 20))]
        self.user_by_id = {user["id"]: user for user in self.users}
        self.user_cw = list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(self.users))))
        self.pending: dict[int, Post] = {}
        self.pool: list[Post] = []
        self.external = 0

    # ---- identities and time ------------------------------------------------------------------------
    def _hash(self, index: int) -> int:
        """A splitmix64 hash of the file position: lets any position's time and id be known in advance."""
        z = (self.mix + index * 0x9E3779B97F4A7C15) & MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def time_ms(self, index: int) -> int:
        """Posting time of file position ``index``: strictly older as the index grows (newest first)."""
        share = 1.0 - (index + (self._hash(index) >> 11) / (1 << 53)) / self.n
        seg = max(1, min(len(ACTIVITY_SHARE) - 1, bisect.bisect_right(ACTIVITY_SHARE, share)))
        lo, hi = ACTIVITY_SHARE[seg - 1], ACTIVITY_SHARE[seg]
        frac = (share - lo) / (hi - lo)
        return ACTIVITY_MS[seg - 1] + int(frac * (ACTIVITY_MS[seg] - ACTIVITY_MS[seg - 1]))

    def post_id(self, index: int) -> str:
        worker = (self._hash(index) & 0x1FF) << 12
        return str(((self.time_ms(index) - TWITTER_EPOCH_MS) << 22) | worker | (index & 0xFFF))

    def external_id(self, ms: int) -> str:
        self.external += 1
        return str(((ms - TWITTER_EPOCH_MS) << 22) | EXTERNAL_BIT | (self.external & 0x1FFFFF))

    def _pseudo_words(self, count: int) -> list[str]:
        """A long tail of rare made-up words, so a search index sees a realistic vocabulary size."""
        rng = self.rng
        return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)]

    def _user(self, index: int) -> Tweet:
        rng = self.rng
        handle = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + str(index)
        if rng.random() < 0.5:
            handle = rng.choice(FIRST).lower() + "_" + handle
        followers = int(rng.lognormvariate(5.5, 1.8))
        user: Tweet = {
            "id": str(10_000_000 + index * 7_919 + rng.randrange(7_919)),
            "username": handle[:15],
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "created_at": _iso(_ms("2008-01-01") + rng.randrange(10 * 365 * 86_400_000)),
            "description": " ".join(rng.choices(EN_WORDS, k=rng.randint(0, 14))),
            "protected": False,
            "verified": rng.random() < 0.01,
            "url": "",
            "profile_image_url": f"https://pbs.twimg.com/profile_images/{index}/{_code(rng, 8)}_normal.jpg",
            "public_metrics": {
                "followers_count": followers,
                "following_count": int(rng.lognormvariate(5.8, 1.2)),
                "tweet_count": int(rng.lognormvariate(7.5, 1.6)),
                "listed_count": followers // 300,
            },
        }
        if rng.random() < 0.5:
            user["location"] = rng.choice(["London", "Toronto", "Sydney", "Dublin", "Paris", "Madrid", "NYC"])
        return user

    def author(self) -> Tweet:
        return self.users[bisect.bisect(self.user_cw, self.rng.random() * self.user_cw[-1])]

    # ---- text -------------------------------------------------------------------------------------------
    def body(self, text: Text, lang: str, target: int, tagged: bool = True) -> None:
        """Sentences of words with hashtags inside and after them, up to ``target`` characters.

        ``tagged`` posts end with at least one hashtag, as posts matched by a hashtag search do.
        """
        rand = self.rng.random
        joiner, words, tags = LANGS[lang] if lang != "en" else (" ", self.words, EN_TAGS)
        ends = JA_ENDS if lang == "ja" else ENDS
        trailing = [self._tag(tags) for _ in range(int(tagged) + int(rand() * 1.8))]
        budget = min(target, MAX_TEXT) - sum(len(tag) + 2 for tag in trailing)
        while budget - text.size > 12:
            count = 4 + int(rand() * 13)
            if lang == "en":
                begin = int(rand() * (STREAM - count))
                chosen = self.stream[begin : begin + count]
            else:
                chosen = [words[int(rand() * len(words))] for _ in range(count)]
            chosen[0] = chosen[0].capitalize()
            end = ends[int(rand() * len(ends))]
            if rand() < 0.05:
                end += EMOJI[int(rand() * len(EMOJI))]
            tag = self._tag(tags) if rand() < 0.25 else ""
            room = budget - text.size - len(end) - len(tag) - 3
            sentence = joiner.join(chosen)
            while len(sentence) > room and len(chosen) > 1:
                chosen.pop()
                sentence = joiner.join(chosen)
            if len(sentence) > room:
                break
            if text.size and text.parts[-1][-1] != " ":
                text.add(" ")
            if tag:
                cut = 1 + int(rand() * len(chosen))
                text.add(joiner.join(chosen[:cut]) + " ")
                text.hashtag(tag)
                text.add((" " + joiner.join(chosen[cut:]) if cut < len(chosen) else "") + end)
            else:
                text.add(sentence + end)
        for tag in trailing:
            text.add(" ")
            text.hashtag(tag)

    def _tag(self, tags: list[str]) -> str:
        if tags is EN_TAGS:
            return EN_TAGS[bisect.bisect(TAG_CW, self.rng.random() * TAG_CW[-1])]
        return tags[int(self.rng.random() * len(tags))]

    def target_length(self) -> int:
        """Most posts use most of the 280 characters; a quarter are short."""
        rng = self.rng
        return rng.randint(190, 278) if rng.random() < 0.75 else rng.randint(30, 190)

    def lang(self) -> str:
        return LANG_CODES[bisect.bisect(LANG_CW, self.rng.random() * LANG_CW[-1])]

    def source(self) -> str:
        return SOURCES[bisect.bisect(SOURCE_CW, self.rng.random() * SOURCE_CW[-1])]

    # ---- posts ------------------------------------------------------------------------------------------
    def _tweet(self, post_id: str, ms: int, author: Tweet, text: Text, lang: str) -> Tweet:
        rng = self.rng
        likes = int(rng.lognormvariate(0.8, 1.9))
        tweet: Tweet = {
            "id": post_id,
            "text": text.text(),
            "author_id": author["id"],
            "conversation_id": post_id,
            "created_at": _iso(ms),
            "lang": lang,
            "public_metrics": {
                "retweet_count": likes // 4,
                "reply_count": int(rng.random() * 3),
                "like_count": likes,
                "quote_count": likes // 40,
                "impression_count": 0,
            },
        }
        entities = text.entities()
        if entities:
            tweet["entities"] = entities
        tweet["possibly_sensitive"] = False
        tweet["reply_settings"] = "everyone"
        tweet["source"] = self.source()
        tweet["edit_history_tweet_ids"] = [post_id]
        return tweet

    def original(self, post_id: str, ms: int, author: Tweet | None = None) -> Post:
        """A post of its own, sometimes with a link or photos."""
        rng = self.rng
        author = author or self.author()
        lang, text = self.lang(), Text()
        extras = rng.random()
        self.body(text, lang, self.target_length() - (24 if extras < 0.2 else 0))
        media: list[dict[str, Any]] = []
        if extras < 0.08:
            media = self._media(post_id)
            short = "https://t.co/" + _code(rng, 10)
            text.add(" ")
            text.url(
                short,
                f"https://twitter.com/{author['username']}/status/{post_id}/photo/1",
                "pic.twitter.com/" + short[13:],
            )
        elif extras < 0.2:
            short, path = "https://t.co/" + _code(rng, 10), rng.choice(DOMAINS) + "/" + _code(rng, 12)
            text.add(" ")
            text.url(short, "https://" + path, (path[:22] + "…") if len(path) > 23 else path)
        tweet = self._tweet(post_id, ms, author, text, lang)
        if media:
            tweet["attachments"] = {"media_keys": [item["media_key"] for item in media]}
        return Post(tweet, ms, media=media)

    def _media(self, post_id: str) -> list[dict[str, Any]]:
        rng = self.rng
        if rng.random() < 0.15:
            key = f"7_{int(post_id) - (1 << 22)}"
            return [
                {
                    "media_key": key,
                    "type": "video",
                    "duration_ms": rng.randint(5_000, 140_000),
                    "preview_image_url": f"https://pbs.twimg.com/ext_tw_video_thumb/{key[2:]}/pu/img/x.jpg",
                    "width": 1280,
                    "height": 720,
                    "public_metrics": {"view_count": rng.randint(10, 90_000)},
                }
            ]
        photos = []
        for number in range(1 if rng.random() < 0.8 else rng.randint(2, 4)):
            item = {
                "media_key": f"3_{int(post_id) - ((number + 1) << 22)}",
                "type": "photo",
                "url": f"https://pbs.twimg.com/media/{_code(rng, 15)}.jpg",
                "width": rng.choice((1200, 1080, 2048)),
                "height": rng.choice((675, 1350, 1536)),
            }
            if rng.random() < 0.2:
                item["alt_text"] = " ".join(rng.choices(EN_WORDS, k=rng.randint(4, 12)))
            photos.append(item)
        return photos

    def reply(self, post_id: str, ms: int, parent: Post, root_id: str) -> Post:
        """A reply that names the parent's author (and the author they answered) as replies do."""
        rng = self.rng
        parent_author = self.user_by_id[parent.tweet["author_id"]]
        roll = rng.random()
        author = parent_author if roll < 0.08 else self.author()
        text, lang = Text(), parent.tweet["lang"] if rng.random() < 0.9 else self.lang()
        if author is not parent_author:
            text.mention(parent_author)
            text.add(" ")
            answered = parent.tweet.get("in_reply_to_user_id")
            if answered and answered not in (author["id"], parent_author["id"]) and roll < 0.5:
                text.mention(self.user_by_id[answered])
                text.add(" ")
        self.body(text, lang, text.size + (self.target_length() * 2) // 3, tagged=rng.random() < 0.3)
        tweet = self._tweet(post_id, ms, author, text, lang)
        tweet["conversation_id"] = root_id
        tweet["in_reply_to_user_id"] = parent_author["id"]
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent.tweet["id"]}]
        return Post(tweet, ms, refs=[parent])

    def orphan_reply(self, index: int) -> Post:
        """A reply whose parent was deleted: the page carries a 'Not Found Error' for it."""
        ms = self.time_ms(index)
        parent_ms = ms - int(self.rng.expovariate(1 / 3_600_000)) - 1_000
        ghost = Post({"id": self.external_id(parent_ms), "author_id": self.author()["id"], "lang": "en"}, parent_ms)
        post = self.reply(self.post_id(index), ms, ghost, ghost.tweet["id"])
        post.refs, post.missing = [], [ghost.tweet["id"]]
        return post

    def thread(self, index: int) -> Post:
        """Plan a conversation whose newest reply sits at ``index`` and whose older members lie ahead."""
        rng = self.rng
        size = min(60, int(rng.paretovariate(1.2)))
        picked: list[int] = []
        position, limit = index, min(self.n, index + WINDOW)
        while len(picked) < size:
            position += 1 + int(rng.expovariate(1 / 30))
            if position >= limit:
                break
            if position not in self.pending:
                picked.append(position)
        picked.reverse()  # oldest first
        if not picked or rng.random() < 0.2:
            # The root is outside the collection: it appears only as context in includes.tweets.
            root_ms = self.time_ms(picked[0] if picked else index) - int(rng.expovariate(1 / 7_200_000)) - 1_000
            root = self.original(self.external_id(root_ms), root_ms)
        else:
            first = picked.pop(0)
            root = self.pending[first] = self.original(self.post_id(first), self.time_ms(first))
        chain = [root]
        for position in [*picked, index]:
            parent = chain[-1] if rng.random() < 0.55 else rng.choice(chain)
            post = self.reply(self.post_id(position), self.time_ms(position), parent, root.tweet["id"])
            chain.append(post)
            if position != index:
                self.pending[position] = post
        return chain[-1]

    def pooled(self, index: int, ms: int) -> Post:
        """An original being retweeted and quoted: a few are popular, new ones keep arriving."""
        rng = self.rng
        slot = int(POOL * rng.random() ** 2)
        if slot < len(self.pool) and self.pool[slot].ms < ms and rng.random() > 0.06:
            return self.pool[slot]
        ahead = index + 1 + int(rng.random() * WINDOW)
        if ahead < self.n and ahead not in self.pending and rng.random() < 0.5:
            fresh = self.pending[ahead] = self.original(self.post_id(ahead), self.time_ms(ahead))
        else:
            orig_ms = ms - int(rng.expovariate(1 / 86_400_000)) - 1_000
            fresh = self.original(
                self.external_id(orig_ms), orig_ms, self.users[int(rng.random() ** 3 * 500) % len(self.users)]
            )
        if slot < len(self.pool):
            self.pool[slot] = fresh
        else:
            self.pool.append(fresh)
        return fresh

    def retweet(self, index: int) -> Post:
        ms = self.time_ms(index)
        orig = self.pooled(index, ms)
        author, handle = self.author(), self.user_by_id[orig.tweet["author_id"]]["username"]
        prefix = f"RT @{handle}: "
        full = prefix + orig.tweet["text"]
        text = full if len(full) <= RT_CUT + 1 else full[:RT_CUT] + "…"
        end = len(text) if text is full else RT_CUT
        entities: dict[str, Any] = {}
        for kind, items in orig.tweet.get("entities", {}).items():
            kept = [
                {**item, "start": item["start"] + len(prefix), "end": item["end"] + len(prefix)}
                for item in items
                if item["end"] + len(prefix) <= end
            ]
            if kept:
                entities[kind] = kept
        entities["mentions"] = [
            {"start": 3, "end": 4 + len(handle), "username": handle, "id": orig.tweet["author_id"]},
            *entities.get("mentions", []),
        ]
        post_id = self.post_id(index)
        tweet: Tweet = {
            "id": post_id,
            "text": text,
            "author_id": author["id"],
            "conversation_id": post_id,
            "created_at": _iso(ms),
            "lang": orig.tweet["lang"],
            "public_metrics": {**orig.tweet["public_metrics"], "reply_count": 0, "like_count": 0, "quote_count": 0},
            "entities": entities,
            "referenced_tweets": [{"type": "retweeted", "id": orig.tweet["id"]}],
        }
        if "attachments" in orig.tweet:
            tweet["attachments"] = orig.tweet["attachments"]
        tweet.update(
            possibly_sensitive=False, reply_settings="everyone", source=self.source(), edit_history_tweet_ids=[post_id]
        )
        return Post(tweet, ms, refs=[orig], media=orig.media)

    def quote(self, index: int) -> Post:
        ms = self.time_ms(index)
        quoted = self.pooled(index, ms)
        post_id, author, lang, text = self.post_id(index), self.author(), self.lang(), Text()
        self.body(text, lang, self.target_length() - 24)
        handle = self.user_by_id[quoted.tweet["author_id"]]["username"]
        link = f"twitter.com/{handle}/status/{quoted.tweet['id']}"
        text.add(" ")
        text.url("https://t.co/" + _code(self.rng, 10), "https://" + link, link[:26] + "…")
        tweet = self._tweet(post_id, ms, author, text, lang)
        tweet["referenced_tweets"] = [{"type": "quoted", "id": quoted.tweet["id"]}]
        return Post(tweet, ms, refs=[quoted])

    def post(self, index: int) -> Post:
        """The post at file position ``index``: a planned one, or a new retweet, quote, thread or original."""
        planned = self.pending.pop(index, None)
        if planned is not None:
            return planned
        roll = self.rng.random()
        if roll < 0.45:
            return self.retweet(index)
        if roll < 0.50:
            return self.quote(index)
        if roll < 0.60:
            return self.thread(index)
        if roll < 0.603:
            return self.orphan_reply(index)
        return self.original(self.post_id(index), self.time_ms(index))

    # ---- pages ------------------------------------------------------------------------------------------
    def page(self, posts: list[Post], number: int, last: bool) -> bytes:
        """One response page: data, includes (users, referenced tweets, media), errors, meta, __twarc."""
        users: dict[str, Tweet] = {}
        tweets: dict[str, Tweet] = {}
        media: dict[str, dict[str, Any]] = {}
        errors: list[dict[str, str]] = []
        for post in posts:
            self._users_of(post.tweet, users)
            for ref in post.refs:
                tweets.setdefault(ref.tweet["id"], ref.tweet)
                self._users_of(ref.tweet, users)
            for item in post.media:
                media[item["media_key"]] = item
            errors.extend(_not_found(missing) for missing in post.missing)
        includes: dict[str, Any] = {"users": list(users.values())}
        if tweets:
            includes["tweets"] = list(tweets.values())
        if media:
            includes["media"] = list(media.values())
        page: dict[str, Any] = {"data": [post.tweet for post in posts], "includes": includes}
        if errors:
            page["errors"] = errors
        meta: dict[str, Any] = {
            "newest_id": posts[0].tweet["id"],
            "oldest_id": posts[-1].tweet["id"],
            "result_count": len(posts),
        }
        if not last:
            meta["next_token"] = _code(self.rng, 40).lower()
        page["meta"] = meta
        retrieved = RETRIEVED + timedelta(seconds=3 * number)
        page["__twarc"] = {"url": SEARCH_URL, "version": "2.13.0", "retrieved_at": retrieved.isoformat()}
        return orjson.dumps(page) + b"\n"

    def _users_of(self, tweet: Tweet, users: dict[str, Tweet]) -> None:
        for user_id in [tweet["author_id"], *(m["id"] for m in tweet.get("entities", {}).get("mentions", ()))]:
            if user_id not in users:
                users[user_id] = self.user_by_id[user_id]


@lru_cache(maxsize=64)
def _day(day: int) -> str:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day)).strftime("%Y-%m-%dT")


def _iso(ms: int) -> str:
    """X API v2 time with milliseconds zeroed; the date part is cached (strftime per post was slow)."""
    day, rest = divmod(ms // 1000, 86_400)
    return f"{_day(day)}{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}.000Z"


def _code(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(ALNUM, k=length))


def _not_found(tweet_id: str) -> dict[str, str]:
    return {
        "value": tweet_id,
        "detail": f"Could not find tweet with referenced_tweets.id: [{tweet_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": tweet_id,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def generate(path: str | Path, n: int, seed: int = 0) -> int:
    """Write ``n`` synthetic posts to ``path`` as twarc2 pages; return the number of pages written."""
    synth = Synth(n, seed)
    pages = 0
    with open(path, "wb") as out:
        for start in range(0, n, PAGE_SIZE):
            posts = [synth.post(index) for index in range(start, min(n, start + PAGE_SIZE))]
            out.write(synth.page(posts, pages, last=start + PAGE_SIZE >= n))
            pages += 1
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="JSON Lines file to write")
    parser.add_argument("n", type=int, help="number of posts in data[] over all pages")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pages = generate(args.out, args.n, args.seed)
    size = args.out.stat().st_size
    print(
        f"wrote {args.n} posts in {pages} pages to {args.out} ({size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
