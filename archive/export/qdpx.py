"""REFI-QDA project export (``.qdpx``, QDA-XML 1.0): posts, codebook and every coder's codings, so the work
moves on to NVivo, ATLAS.ti, MAXQDA or QualCoder.

The ``.qdpx`` is a zip holding ``project.qde`` (the XML, valid against the published Project.xsd) and one
``sources/<guid>.txt`` per post. Coders are ``Users``; each post is a ``TextSource`` named by its post id;
each coding is a ``PlainTextSelection`` (the whole text, or the span) carrying one ``Coding`` by its coder.
Variables are ``Set``\\ s of their values, marked as ours as in the ``.qdc`` export, and each coder's
completed posts are a ``Set`` "Completed by <coder>", so "not coded" stays apart from "no code applies".
Memos are ``Notes``, each referenced by a ``NoteRef`` from its post, thread root, code or the project (see
``archive.export.qdpx_notes``). GUIDs are derived from the codebook's guid and stable ids: exporting twice
gives the same GUIDs.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from operator import itemgetter
from typing import IO, Any

from archive.agreement.report import software
from archive.coding.codebook import Code, codebook_info, list_codes
from archive.coding.coders import Coder, list_coders
from archive.coding.samples import get_sample
from archive.export.context import PROGRESS_EVERY, ExportContext
from archive.export.errors import ExportError
from archive.export.privacy import Pseudonyms
from archive.export.qdpx_notes import MEMO_TARGETS, Notes, refs
from archive.export.qdpx_xml import Guids, when, xml_attr, xml_text
from archive.jobs import JobProgress
from archive.store.clock import now

NAMESPACE = "urn:QDA-XML:project:1.0"
VARIABLE_MARK = "Threadcoder variable: its member codes are mutually exclusive values."
_POPULATION = "tc_qdpx_posts"
_COMPLETED_BY = (
    f"SELECT s.post_id FROM coder_status s JOIN temp.{_POPULATION} t ON t.post_id = s.post_id "
    "WHERE s.coder_id = ? ORDER BY s.post_id"
)


def write_qdpx(ctx: ExportContext) -> Iterator[JobProgress]:
    if ctx.options.drop_text:
        raise ExportError("a REFI-QDA project needs the post texts: its codings point into them")
    conn = ctx.conn
    guids = Guids(codebook_info(conn).guid)
    codes = list_codes(conn, include_retired=True)
    total = _population(ctx)
    try:
        if not total:
            raise ExportError("no posts to export: nothing was coded yet (choose a sample, or every post)")
        notes = Notes(conn, lambda post_id: _exported(conn, post_id), guids, ctx.pseudonyms)
        if notes.left_out:
            ctx.notes.append(f"{notes.left_out} post or thread memo(s) on posts not in this export were left out")
        with (
            # Level 1: the XML and texts still shrink about fivefold, at a fraction of the default's time.
            zipfile.ZipFile(ctx.outputs.binary(ctx.path), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
            # The sources' XML, until the codebook is written before it: private (0600) and unnamed on POSIX.
            tempfile.TemporaryFile("w+", encoding="utf-8") as sources,
        ):
            yield from _sources(ctx, archive, sources, guids, notes, total)
            sources.seek(0)
            with archive.open("project.qde", "w") as entry:
                _project(conn, entry, sources, guids, codes, notes, ctx.pseudonyms)
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{_POPULATION}")


def _population(ctx: ExportContext) -> int:
    """The posts to export, in a temporary table: a sample's, every collected one, or those with coding work
    (codings, completion, memos)."""
    conn, options = ctx.conn, ctx.options
    conn.execute(f"CREATE TEMP TABLE {_POPULATION} (post_id TEXT PRIMARY KEY) WITHOUT ROWID")
    worked = f"SELECT post_id FROM codings UNION SELECT post_id FROM coder_status UNION {MEMO_TARGETS}"
    if options.sample is not None:
        sql, params = "SELECT post_id FROM sample_posts WHERE sample_id = ?", [get_sample(conn, options.sample).id]
    elif options.all_posts:
        sql, params = f"SELECT id FROM posts WHERE kind = 'collected' UNION {worked}", []
    else:
        sql, params = worked, []
    conn.execute(f"INSERT OR IGNORE INTO temp.{_POPULATION} {sql}", params)
    return int(conn.execute(f"SELECT count(*) FROM temp.{_POPULATION}").fetchone()[0])


def _exported(conn: sqlite3.Connection, post_id: str) -> bool:
    return conn.execute(f"SELECT 1 FROM temp.{_POPULATION} WHERE post_id = ?", (post_id,)).fetchone() is not None


def _sources(
    ctx: ExportContext, archive: zipfile.ZipFile, out: IO[str], guids: Guids, notes: Notes, total: int
) -> Iterator[JobProgress]:
    """Each post's text into the zip and its TextSource (with codings and memos) into ``out``."""
    conn, pseudonyms = ctx.conn, ctx.pseudonyms
    coders = {c.id: guids.coder(c.name) for c in list_coders(conn, include_retired=True)}
    names = {c.id: (xml_attr(c.name), guids.code(c)) for c in list_codes(conn, include_retired=True)}
    codings = itertools.groupby(_codings(conn), itemgetter(1))
    pending = next(codings, None)
    posts = (
        "SELECT p.id, p.text, p.created_at, p.url, a.handle, a.native_id FROM temp.tc_qdpx_posts t "
        "JOIN posts p ON p.id = t.post_id LEFT JOIN authors a ON a.id = p.author_id ORDER BY p.id"
    )
    for done, (post_id, text, created, url, handle, native) in enumerate(conn.execute(posts), 1):
        mine: list[tuple[Any, ...]] = []
        while pending is not None and pending[0] <= post_id:
            if pending[0] == post_id:
                mine = list(pending[1])
            pending = next(codings, None)
        source = guids.of("post", post_id)
        shown, remap = (text, None) if pseudonyms is None else pseudonyms.text_with_positions(text)
        archive.writestr(f"sources/{source}.txt", shown)
        out.write(f"<TextSource guid={xml_attr(source)} name={xml_attr(post_id)} plainTextPath=")
        out.write(xml_attr(f"internal://{source}.txt") + when(created, "creationDateTime") + ">")
        out.write(f"<Description>{xml_text(_describe(handle, native, created, url, pseudonyms))}</Description>")
        for coding_id, _, code_id, coder_id, start, end, at in mine:
            first, last = (0, len(text)) if start is None else (start, end)
            if remap is not None:
                first, last = remap(first, False), remap(last, True)
            name, code_guid = names[code_id]
            selection, coding = guids.pair("coding", coding_id)
            user, stamp = coders[coder_id], when(at, "creationDateTime")
            out.write(
                f'<PlainTextSelection guid="{selection}" name={name} startPosition="{first}" endPosition="{last}" '
                f'creatingUser="{user}"{stamp}><Coding guid="{coding}" creatingUser="{user}"{stamp}>'
                f'<CodeRef targetGUID="{code_guid}"/></Coding></PlainTextSelection>'
            )
        out.write(refs(notes.sources.get(post_id, [])) + "</TextSource>\n")
        ctx.rows += 1
        if done % PROGRESS_EVERY == 0:
            yield JobProgress(f"writing {ctx.path.name}", done, total)
    yield JobProgress(f"writing {ctx.path.name}", total, total)


def _codings(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    sql = (
        "SELECT c.id, c.post_id, c.code_id, c.coder_id, c.span_start, c.span_end, c.created_at FROM codings c "
        "JOIN temp.tc_qdpx_posts t ON t.post_id = c.post_id ORDER BY c.post_id, c.id"
    )
    return iter(conn.execute(sql))


def _describe(
    handle: str | None, native: str | None, created: str | None, url: str | None, pseudonyms: Pseudonyms | None
) -> str:
    author = handle or native
    if pseudonyms is not None:
        author, url = pseudonyms.author(handle, native), pseudonyms.optional(url)
    parts = [f"author: @{author}" if author else "", f"posted: {created}" if created else "", url or ""]
    return "\n".join(part for part in parts if part)


def _project(
    conn: sqlite3.Connection,
    entry: IO[bytes],
    sources: IO[str],
    guids: Guids,
    codes: list[Code],
    notes: Notes,
    pseudonyms: Pseudonyms | None,
) -> None:
    info = codebook_info(conn)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<Project xmlns={xml_attr(NAMESPACE)} name={xml_attr(info.name)} ",
        f"origin={xml_attr(f'{software()}; codebook {info.name!r}, version {info.version}')} ",
        f'creationDateTime="{now()}">\n<Users>',
    ]
    coders = list_coders(conn, include_retired=True)
    head += [f'<User guid="{guids.coder(c.name)}" name={xml_attr(c.name)}/>' for c in coders]
    head.append("</Users>\n")
    head.append(_codebook(codes, guids, notes, pseudonyms))
    head.append("<Sources>\n")
    entry.write("".join(head).encode())
    for chunk in iter(lambda: sources.read(1 << 16), ""):
        entry.write(chunk.encode())
    entry.write(b"</Sources>\n")
    entry.write(notes.element().encode())
    _sets(conn, entry, codes, guids, coders)
    entry.write((refs(notes.project) + "</Project>\n").encode())  # the project's own memos come last


def _codebook(codes: list[Code], guids: Guids, notes: Notes, pseudonyms: Pseudonyms | None) -> str:
    """The codes in use (retired ones left out, as in the .qdc export) as a nested CodeBook.

    Definitions quote posts as examples, so they are pseudonymised with the texts when asked.
    """
    in_use = [code for code in codes if not code.retired]
    if not in_use:
        return ""
    children: dict[int | None, list[Code]] = {}
    for code in in_use:
        parent = code.parent_id if any(c.id == code.parent_id for c in in_use) else None
        children.setdefault(parent, []).append(code)

    def element(code: Code) -> str:
        color = f" color={xml_attr(code.color)}" if code.color else ""
        described = code.description if pseudonyms is None else pseudonyms.text(code.description)
        body = f"<Description>{xml_text(described)}</Description>" if described else ""
        body += notes.code_refs(code.guid)
        body += "".join(element(child) for child in children.get(code.id, []))
        codable = "true" if code.codable and not code.exclusive else "false"
        opening = f"<Code guid={xml_attr(guids.code(code))} name={xml_attr(code.name)} isCodable={xml_attr(codable)}"
        return f"{opening}{color}>{body}</Code>"

    return "<CodeBook><Codes>" + "".join(element(code) for code in children.get(None, [])) + "</Codes></CodeBook>\n"


def _sets(conn: sqlite3.Connection, entry: IO[bytes], codes: list[Code], guids: Guids, coders: list[Coder]) -> None:
    """Variables as sets of their values, and each coder's completed posts as a set of sources."""
    sets: list[str] = []
    for variable in (c for c in codes if c.exclusive and not c.retired):
        members = [c for c in codes if c.parent_id == variable.id and not c.retired]
        if members:
            member_codes = "".join(f"<MemberCode targetGUID={xml_attr(guids.code(m))}/>" for m in members)
            sets.append(
                f"<Set guid={xml_attr(guids.of('variable', variable.id))} name={xml_attr(variable.name)}>"
                f"<Description>{xml_text(VARIABLE_MARK)}</Description>{member_codes}</Set>\n"
            )
    done = {c.id: conn.execute(_COMPLETED_BY + " LIMIT 1", (c.id,)).fetchone() is not None for c in coders}
    if not sets and not any(done.values()):
        return
    entry.write(("<Sets>" + "".join(sets)).encode())
    for coder in (c for c in coders if done[c.id]):
        name = xml_attr(f"Completed by {coder.name}")
        entry.write(
            f"<Set guid={xml_attr(guids.of('completed', coder.name.lower()))} name={name}><Description>"
            f"Posts {xml_text(coder.name)} marked done (coded, or no code applies).</Description>".encode()
        )
        for (post_id,) in conn.execute(_COMPLETED_BY, (coder.id,)):
            entry.write(f"<MemberSource targetGUID={xml_attr(guids.of('post', post_id))}/>".encode())
        entry.write(b"</Set>\n")
    entry.write(b"</Sets>\n")
