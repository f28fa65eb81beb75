"""The config is validated once, at load, with messages that name the key and the file."""

from pathlib import Path

import pytest

from pipeline import ConfigError, load_config
from pipeline.config import parse_assignments


def test_profiles_load_and_fill_defaults():
    offline = load_config("offline")
    assert offline.translate.enabled is False
    assert offline.entities.model == "blank"
    assert offline.summarize.sentences == 2
    default = load_config()
    assert default.translate.model == "Helsinki-NLP/opus-mt-nl-en"
    assert default.pipeline == ["clean", "detect", "entities", "summarize", "translate"]


def test_dotted_overrides_parse_yaml_scalars():
    config = load_config("offline", parse_assignments(["translate.full_text=true", "summarize.sentences=2"]))
    assert config.translate.full_text is True
    assert config.summarize.sentences == 2


def test_unknown_override_key_names_the_valid_keys():
    with pytest.raises(ConfigError, match=r"unknown key 'ful_text' \(valid: .*full_text"):
        load_config("offline", {"translate.ful_text": True})


def test_unknown_key_in_yaml_names_key_and_file(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text("summarize:\n  sentencess: 2\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert str(path) in message
    assert "summarize.sentencess" in message
    assert "valid keys" in message and "sentences" in message


def test_wrong_type_is_reported_with_its_key(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("batch_size: many\n")
    with pytest.raises(ConfigError, match="batch_size"):
        load_config(path)


def test_unknown_stage_name_is_rejected():
    with pytest.raises(ConfigError, match="pipeline"):
        load_config({"pipeline": ["clean", "sumarize"]})


@pytest.mark.parametrize("assignment", ["no-equals-sign", "=value"])
def test_malformed_set_is_a_usage_error(assignment: str):
    with pytest.raises(ConfigError, match="key=value"):
        parse_assignments([assignment])


def test_missing_config_file_names_the_profiles():
    with pytest.raises(ConfigError, match="default, offline"):
        load_config("no/such/file.yaml")


def test_config_round_trips_through_yaml(tmp_path: Path):
    config = load_config("offline", {"summarize.sentences": 4})
    path = tmp_path / "filled.yaml"
    path.write_text(config.to_yaml())
    assert load_config(path) == config


def test_a_model_can_point_at_a_local_directory(tmp_path: Path):
    config = load_config("default", {"translate.model": str(tmp_path)})
    assert config.translate.model == str(tmp_path)
