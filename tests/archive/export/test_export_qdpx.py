"""The REFI-QDA project export: valid against the published Project.xsd (copied in data/ with its MIT notice),
posts as sources, the codebook, every coder's codings and completion, memos as notes, pseudonyms that keep spans
in place."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema

from archive.export import ExportError, ExportOptions, Pseudonyms, export, pseudonym_salt
from archive.export.privacy import project_pseudonyms
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import FORMULA

PROJECT_XSD = Path(__file__).parent / "data" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _open(path: Path) -> tuple[ET.Element, dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde")
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("sources/")}
    xmlschema.XMLSchema(PROJECT_XSD).validate(qde.decode("utf-8"))
    return ET.fromstring(qde), texts


def _source_text(source: ET.Element, texts: dict[str, str]) -> str:
    return texts["sources/" + source.get("plainTextPath", "").removeprefix("internal://")]


def test_the_project_is_valid_and_holds_posts_codebook_and_codings(coded: Study, tmp_path: Path) -> None:
    path = tmp_path / "study.qdpx"
    export(coded.db.conn, "qdpx", path)
    root, texts = _open(path)
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert set(users) == {"ana", "bo", "cy"}
    codes = {c.get("name"): c for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    assert set(codes) == {"Male survivor", "Irony", "Stance", "Supportive", "Critical", "Themes", "Disclosure"}
    assert codes["Stance"].get("isCodable") == "false"
    sources = {s.get("name"): s for s in root.iterfind("q:Sources/q:TextSource", NS)}
    assert set(sources) == {f"twitter:{n}" for n in range(1, 6)}  # posts with coding work, in progress too
    stored = coded.db.conn.execute("SELECT id, text FROM posts").fetchall()
    for post_id, text in stored:
        if post_id in sources:
            assert _source_text(sources[post_id], texts) == text
    guid_names = {c.get("guid"): name for name, c in codes.items()}
    coder_names = {guid: name for name, guid in users.items()}
    found = set()
    for post_id, source in sources.items():
        for selection in source.iterfind("q:PlainTextSelection", NS):
            coding = selection.find("q:Coding", NS)
            code = guid_names[coding.find("q:CodeRef", NS).get("targetGUID")]
            span = (int(selection.get("startPosition")), int(selection.get("endPosition")))
            found.add((post_id, coder_names[coding.get("creatingUser")], code, span))
    rows = coded.db.conn.execute(
        "SELECT c.post_id, k.name, codes.name, c.span_start, c.span_end, length(p.text) FROM codings c "
        "JOIN coders k ON k.id = c.coder_id JOIN codes ON codes.id = c.code_id JOIN posts p ON p.id = c.post_id"
    ).fetchall()
    expected = {(p, k, c, (0, n) if s is None else (s, e)) for p, k, c, s, e, n in rows}
    assert found == expected
    assert ("twitter:1", "ana", "Disclosure", (9, 15)) in found
    sets = {s.get("name"): s for s in root.iterfind("q:Sets/q:Set", NS)}
    assert {m.get("targetGUID") for m in sets["Stance"].iterfind("q:MemberCode", NS)} == {
        codes["Supportive"].get("guid"),
        codes["Critical"].get("guid"),
    }
    completed = {m.get("targetGUID") for m in sets["Completed by cy"].iterfind("q:MemberSource", NS)}
    assert completed == {sources[f"twitter:{n}"].get("guid") for n in (1, 2, 3)}


def test_exporting_twice_gives_the_same_guids(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "qdpx", tmp_path / "a.qdpx")
    export(coded.db.conn, "qdpx", tmp_path / "b.qdpx")
    guids = [
        sorted(e.get("guid") for e in _open(tmp_path / name)[0].iter() if e.get("guid"))
        for name in ("a.qdpx", "b.qdpx")
    ]
    assert guids[0] == guids[1] and len(set(guids[0])) == len(guids[0])


def test_a_sample_or_every_post(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "qdpx", tmp_path / "pilot.qdpx", ExportOptions(sample="pilot"))
    names = {s.get("name") for s in _open(tmp_path / "pilot.qdpx")[0].iterfind("q:Sources/q:TextSource", NS)}
    assert names == {"twitter:1", "twitter:2"}
    export(coded.db.conn, "qdpx", tmp_path / "all.qdpx", ExportOptions(all_posts=True))
    assert len(list(_open(tmp_path / "all.qdpx")[0].iterfind("q:Sources/q:TextSource", NS))) == 12


def test_pseudonyms_move_spans_with_the_text(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "qdpx", tmp_path / "p.qdpx", ExportOptions(pseudonymise=True))
    root, texts = _open(tmp_path / "p.qdpx")
    source = next(s for s in root.iterfind("q:Sources/q:TextSource", NS) if s.get("name") == "twitter:1")
    text = _source_text(source, texts)
    handle = Pseudonyms(pseudonym_salt(coded.db.conn)).handle("bo_real")
    assert text == f"@{handle} me too, #MeToo"
    spans = [
        (int(s.get("startPosition")), int(s.get("endPosition"))) for s in source.iterfind("q:PlainTextSelection", NS)
    ]
    assert (0, len(text)) in spans  # whole-post codings cover the new text
    start, end = next(span for span in spans if span != (0, len(text)))
    assert text[start:end] == "me too"  # the span still covers the words coded
    assert "author1" not in source.findtext("q:Description", "", NS)


def test_texts_cannot_be_dropped_from_a_project(coded: Study, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="needs the post texts"):
        export(coded.db.conn, "qdpx", tmp_path / "x.qdpx", ExportOptions(drop_text=True))
    assert not (tmp_path / "x.qdpx").exists() and not (tmp_path / "x.qdpx.part").exists()


def _notes(root: ET.Element) -> dict[str, ET.Element]:
    return {note.get("guid"): note for note in root.iterfind("q:Notes/q:Note", NS)}


def _refs(element: ET.Element) -> list[str]:
    return [ref.get("targetGUID") for ref in element.iterfind("q:NoteRef", NS)]


def test_memos_are_notes_referenced_from_what_they_are_about(memoed: Study, tmp_path: Path) -> None:
    export(memoed.db.conn, "qdpx", tmp_path / "memos.qdpx")
    root, _ = _open(tmp_path / "memos.qdpx")  # validated against Project.xsd
    notes = _notes(root)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    stored = memoed.db.conn.execute(
        "SELECT k.name, m.text, m.created_at, m.updated_at FROM memos m JOIN coders k ON k.id = m.coder_id"
    ).fetchall()
    written = {
        (
            users[n.get("creatingUser")],
            n.findtext("q:PlainTextContent", None, NS),
            n.get("creationDateTime"),
            n.get("modifiedDateTime"),
        )
        for n in notes.values()
    }
    assert written == set(stored)
    names = {guid: note.get("name") for guid, note in notes.items()}
    sources = {s.get("name"): s for s in root.iterfind("q:Sources/q:TextSource", NS)}
    # ana's two and bo's memo on the post, and cy's memo on its thread (written on a reply, kept on the root).
    assert sorted(names[guid] for guid in _refs(sources["twitter:1"])) == [
        "Memo by ana on post twitter:1",
        "Memo by ana on post twitter:1",
        "Memo by bo on post twitter:1",
        "Memo by cy on thread twitter:1",
    ]
    # A memo is coding work: the post nobody coded is a source, so its memo has a place.
    assert [names[guid] for guid in _refs(sources["twitter:6"])] == ["Memo by ana on post twitter:6"]
    irony = next(c for c in root.iter("{urn:QDA-XML:project:1.0}Code") if c.get("name") == "Irony")
    assert [names[guid] for guid in _refs(irony)] == ["Memo by ana on code Irony"]
    assert [names[guid] for guid in _refs(root)] == ["Memo by bo on the project"]


def test_memos_on_posts_outside_a_sample_are_left_out_and_counted(memoed: Study, tmp_path: Path) -> None:
    result = export(memoed.db.conn, "qdpx", tmp_path / "pilot.qdpx", ExportOptions(sample="pilot"))
    root, _ = _open(tmp_path / "pilot.qdpx")
    assert "Memo by ana on post twitter:6" not in {n.get("name") for n in _notes(root).values()}
    assert len(_notes(root)) == 6
    assert result.notes == ("1 post or thread memo(s) on posts not in this export were left out",)


def test_a_handle_in_a_memo_is_pseudonymised_in_its_note(memoed: Study, tmp_path: Path) -> None:
    export(memoed.db.conn, "qdpx", tmp_path / "p.qdpx", ExportOptions(pseudonymise=True))
    root, _ = _open(tmp_path / "p.qdpx")
    texts = [note.findtext("q:PlainTextContent", "", NS) for note in _notes(root).values()]
    names = project_pseudonyms(memoed.db.conn)
    assert f"Replies to @{names.handle('bo_real')}; {names.handle('author1')} wrote it." in texts
    assert not any("bo_real" in text or "author1" in text for text in texts)
    assert FORMULA in texts  # XML runs no formulas: the memo stays as written
