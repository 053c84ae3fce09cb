"""``codings import``: the long CSV shape (unit_id, coder_id, variable, value); nothing dropped silently."""

from __future__ import annotations

import pytest

from archive.coding.codings import apply_code, post_codings
from archive.coding.codings_import import import_long_csv
from archive.coding.errors import CodingError
from archive.coding.status import PostStatus, post_status
from archive.coding.undo import undo


def write_csv(tmp_path, text):
    path = tmp_path / "codings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def codes(project, post_id):
    return sorted((c.coder, c.code, c.origin) for c in post_codings(project.db.conn, post_id, None))


def test_variables_take_a_value_and_codes_take_present_or_absent(project, team, tmp_path, queued):
    path = write_csv(
        tmp_path,
        "unit_id,coder_id,variable,value\n"
        "twitter:2,ana,Stance,Supportive\n"
        "twitter:2,ana,Male survivor,0\n"
        "twitter:1,ana,male survivor,1\n"
        "3,ana,Stance,critical\n",  # a bare native id and any case work too
    )
    report = import_long_csv(project.db, path)
    assert report.clean and (report.rows, report.codings_added, report.posts_completed) == (4, 3, 3)
    assert codes(project, "twitter:2") == [("ana", "Supportive", "import:codings.csv")]
    assert codes(project, "twitter:3") == [("ana", "Critical", "import:codings.csv")]
    assert post_status(project.db.conn, "twitter:1", team.ana.id) is PostStatus.CODED
    assert queued() == {"twitter:1", "twitter:2", "twitter:3"}


def test_all_absent_means_no_code_applies_and_blank_means_missing(project, team, tmp_path):
    path = write_csv(
        tmp_path,
        "unit_id,coder_id,variable,value\ntwitter:4,bo,Male survivor,0\ntwitter:3,bo,Stance,\n",
    )
    report = import_long_csv(project.db, path)
    assert report.missing_values == 1
    assert post_status(project.db.conn, "twitter:4", team.bo.id) is PostStatus.NO_CODE_APPLIES
    assert post_status(project.db.conn, "twitter:3", team.bo.id) is PostStatus.NOT_CODED


def test_unknown_posts_codes_and_values_are_reported_line_by_line(project, team, tmp_path):
    path = write_csv(
        tmp_path,
        "unit_id,coder_id,variable,value\n"
        "twitter:999,ana,Stance,Supportive\n"
        "twitter:1,ana,Tone,angry\n"
        "twitter:1,ana,Stance,Furious\n"
        "twitter:1,ana,Male survivor,maybe\n"
        "twitter:1,ana,Supportive,1\n"
        "twitter:1,ana bo,Stance,Critical\n",
    )
    report = import_long_csv(project.db, path)
    assert report.problems == [
        "line 2: no post 'twitter:999' in this project",
        "line 3: no variable or code named 'Tone'",
        "line 4: 'Furious' is not a value of 'Stance'",
        "line 5: 'maybe' is not present or absent (1/0) for the code 'Male survivor'",
        "line 6: 'Supportive' is a value; write its variable 'Stance' as the variable",
        "line 7: 'ana bo' is not a coder name: use one word of letters, digits, '.', '-' or '_' (e.g. ana or j.smith)",
    ]
    assert report.codings_added == 0 and codes(project, "twitter:1") == []


def test_disagreements_with_codings_here_are_reported_and_kept(project, team, tmp_path):
    apply_code(project.db, "twitter:2", team.critical.id, team.bo.id)
    apply_code(project.db, "twitter:1", team.survivor.id, team.bo.id)
    path = write_csv(
        tmp_path,
        "unit_id,coder_id,variable,value\ntwitter:2,bo,Stance,Supportive\ntwitter:1,bo,Male survivor,0\n"
        "twitter:2,bo,Stance,Critical\n",
    )
    report = import_long_csv(project.db, path)
    assert report.problems == [
        "line 2: bo gave this post another value of 'Stance' here; kept",
        "line 3: the file says 'Male survivor' is absent, but bo applied it here; kept",
    ]
    assert report.already_here == 1
    assert codes(project, "twitter:2") == [("bo", "Critical", "")]


def test_new_coders_are_added_and_each_coder_can_undo_their_import(project, team, tmp_path):
    path = write_csv(
        tmp_path, "unit_id,coder_id,variable,value\ntwitter:1,cy,Male survivor,1\ntwitter:1,ana,Male survivor,1\n"
    )
    report = import_long_csv(project.db, path)
    assert report.coders_added == ["cy"]
    undo(project.db, team.ana.id)
    assert [c for c, _, _ in codes(project, "twitter:1")] == ["cy"]


def test_a_file_without_the_long_columns_is_refused(project, team, tmp_path):
    with pytest.raises(CodingError, match="expected the columns unit_id, coder_id, variable, value"):
        import_long_csv(project.db, write_csv(tmp_path, "post,code\ntwitter:1,x\n"))


def test_a_long_export_neutralised_for_spreadsheets_reads_back_whole(project, team, tmp_path):
    # Code and value names an imported codebook may carry, which a spreadsheet would run as formulas.
    from archive.coding.codebook_edit import rename_code
    from archive.coding.status import complete_post
    from archive.export import ExportOptions, export

    rename_code(project.db, team.ana.id, team.stance.id, "=SUM(A1)")
    rename_code(project.db, team.ana.id, team.supportive.id, "@mixed")
    rename_code(project.db, team.ana.id, team.survivor.id, "-male survivor")
    apply_code(project.db, "twitter:1", team.supportive.id, team.ana.id)
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(project.db, "twitter:2", team.critical.id, team.ana.id)
    for post_id in ("twitter:1", "twitter:2"):
        complete_post(project.db, post_id, team.ana.id)
    target = tmp_path / "long.csv"
    export(project.db.conn, "long", target, ExportOptions(neutralise=True))
    text = target.read_text(encoding="utf-8-sig")
    assert "'=SUM(A1)" in text and "'@mixed" in text  # what a spreadsheet shows as text
    report = import_long_csv(project.db, target)  # read back into the project it came from: all known
    assert report.problems == [] and (report.rows, report.already_here) == (4, 3)  # 2 posts x 2 variables


def test_a_codebook_csv_neutralises_code_names_and_reads_them_back(project, team, tmp_path):
    from archive.coding.codebook_edit import rename_code
    from archive.coding.codebook_io import read_codebook, spec_from_project, write_codebook

    rename_code(project.db, team.ana.id, team.survivor.id, '=HYPERLINK("http://example.org")')
    target = tmp_path / "codebook.csv"
    write_codebook(spec_from_project(project.db.conn), target)
    assert "'=HYPERLINK(" in target.read_text(encoding="utf-8")
    assert '=HYPERLINK("http://example.org")' in [code.name for code in read_codebook(target).codes]


def test_a_post_id_without_its_platform_gets_a_hint(project, team):
    hint = r"no post '1' in this project; ids start with their platform: did you mean 'twitter:1'\?"
    with pytest.raises(CodingError, match=hint):
        apply_code(project.db, "1", team.survivor.id, team.ana.id)
    with pytest.raises(CodingError, match="ids start with their platform, like 'twitter:999'"):
        apply_code(project.db, "999", team.survivor.id, team.ana.id)
