"""Saved CSV column mappings: named presets kept in one JSON file in the user's config folder."""

from __future__ import annotations

import json
import os

import pytest

from archive.formats.csv_presets import PresetFileError, delete_preset, list_presets, load_preset, save_preset

GERMAN = {"id": "id", "text": "text", "created_at": "created_at", "referenced_ids": "referenced_tweet_ids"}


def test_a_saved_mapping_can_be_listed_loaded_and_deleted(tmp_path):
    path = tmp_path / "config" / "csv-presets.json"  # the folder is made on first save
    assert list_presets(path) == []
    save_preset(path, "Marcus tweets (de)", GERMAN)
    save_preset(path, "another", {"id": "Nr", "text": "Beitrag"})
    assert list_presets(path) == ["another", "Marcus tweets (de)"]
    assert load_preset(path, "Marcus tweets (de)") == GERMAN
    assert load_preset(path, "missing") is None
    assert delete_preset(path, "another") is True
    assert delete_preset(path, "another") is False
    assert list_presets(path) == ["Marcus tweets (de)"]


def test_saving_under_an_existing_name_replaces_that_mapping(tmp_path):
    path = tmp_path / "presets.json"
    save_preset(path, "mine", GERMAN)
    save_preset(path, "mine", {"id": "tweet_id", "text": "body", "lang": ""})  # an empty column = not mapped
    assert load_preset(path, "mine") == {"id": "tweet_id", "text": "body"}


def test_the_file_is_plain_json_a_person_can_read(tmp_path):
    path = tmp_path / "presets.json"
    save_preset(path, "Grüße", {"id": "Nr", "text": "Beitrag"})
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == {"version": 1, "presets": {"Grüße": {"id": "Nr", "text": "Beitrag"}}}


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "presets.json"
    save_preset(path, "kept", GERMAN)
    before = path.read_bytes()

    def failing_replace(source: str, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        save_preset(path, "new", {"id": "a", "text": "b"})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["presets.json"]


def test_a_damaged_presets_file_is_reported_and_never_overwritten(tmp_path):
    path = tmp_path / "presets.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PresetFileError, match="not valid JSON"):
        list_presets(path)
    with pytest.raises(PresetFileError):
        save_preset(path, "new", GERMAN)
    assert path.read_text(encoding="utf-8") == "{not json"


def test_mappings_must_name_our_fields_and_presets_a_name(tmp_path):
    path = tmp_path / "presets.json"
    with pytest.raises(ValueError, match="unknown fields"):
        save_preset(path, "bad", {"tweet": "text"})
    with pytest.raises(ValueError, match="name"):
        save_preset(path, "  ", GERMAN)
    assert not path.exists()
