"""The typed configuration: the only place that reads YAML, applies overrides and validates.

A config fully describes a pipeline, as in spaCy: the stage order, run-wide
settings and one block of settings per stage. Validation happens once, here,
so stages receive plain typed values and a typo fails before any work starts.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, create_model

from pipeline.errors import ConfigError
from pipeline.stages.registry import BUILTIN, STAGES

#: Named profiles shipped with the package (like ``pipeline("translation")``'s task table).
PROFILES = {
    "default": "default.yaml",
    "offline": "offline.yaml",
}


class RunSettings(BaseModel):
    """The run-wide part of a config; ``config_model()`` adds the stage order and one section per stage."""

    model_config = ConfigDict(extra="forbid")

    pipeline: list[str] = Field(
        default_factory=lambda: list(BUILTIN),
        description="Stage order; each stage's inputs must come from earlier stages.",
    )
    batch_size: PositiveInt = Field(32, description="Articles per batch handed to each stage.")
    models_dir: Path | None = Field(None, description="Local model store searched before any cache.")
    offline: bool = Field(False, description="Never download; also implied by HF_HUB_OFFLINE=1.")
    device: str = Field("auto", description="auto, cpu, cuda, cuda:N or mps.")

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def config_model() -> type[RunSettings]:
    """The config model of the registered stages: ``pipeline`` names one of them, each has its section.

    Built once per set of registered stages, so registering a stage gives it a
    config section without editing this module.
    """
    return _config_model(tuple((name, cls.Settings) for name, cls in STAGES.items()))


@cache
def _config_model(stages: tuple[tuple[str, type[BaseModel]], ...]) -> type[RunSettings]:
    names = tuple(name for name, _ in stages)
    sections: dict[str, Any] = {name: (settings, Field(default_factory=settings)) for name, settings in stages}
    return create_model(
        "PipelineConfig",
        __base__=RunSettings,
        __module__=__name__,
        __doc__="A whole pipeline. Unknown keys are errors; every default is visible in ``nlnews config``.",
        pipeline=(list[Literal[names]], RunSettings.model_fields["pipeline"]),  # type: ignore[valid-type]
        **sections,
    )


#: A whole pipeline: the run-wide settings, the stage order and one section per built-in stage.
PipelineConfig = config_model()


def load_config(
    source: str | Path | dict[str, Any] | RunSettings | None = None,
    overrides: dict[str, Any] | None = None,
) -> RunSettings:
    """Load, override and validate a config.

    Args:
        source: a profile name (``"default"``, ``"offline"``), a YAML path, a dict
            or a ``PipelineConfig``; ``None`` means ``"default"``.
        overrides: dotted keys, e.g. ``{"translate.full_text": True}``; string
            values are parsed as YAML scalars, as ``--set`` does.

    Returns:
        The filled, validated config.

    >>> load_config("offline", {"summarize.sentences": 2}).summarize.sentences
    2
    """
    if isinstance(source, RunSettings):
        data, origin = source.model_dump(), "<PipelineConfig>"
    elif isinstance(source, dict):
        data, origin = dict(source), "<dict>"
    else:
        data, origin = _read_yaml(source or "default")
    for key, value in (overrides or {}).items():
        _apply_override(data, key, _parse_value(value), origin)
    try:
        return config_model().model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, origin)) from None


def parse_assignments(assignments: list[str]) -> dict[str, Any]:
    """Turn CLI ``--set key=value`` strings into an overrides dict."""
    overrides: dict[str, Any] = {}
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects key=value, got {assignment!r}")
        overrides[key.strip()] = value
    return overrides


def _read_yaml(source: str | Path) -> tuple[dict[str, Any], str]:
    name = str(source)
    if name in PROFILES:
        text = resources.files("pipeline.configs").joinpath(PROFILES[name]).read_text("utf-8")
        origin = f"profile {name!r}"
    else:
        path = Path(name)
        if not path.is_file():
            raise ConfigError(f"no config {name!r}: not a file and not a profile ({', '.join(PROFILES)})")
        text, origin = path.read_text("utf-8"), str(path)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{origin}: invalid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level")
    return data, origin


def _parse_value(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return value


def _apply_override(data: dict[str, Any], key: str, value: Any, origin: str) -> None:
    """Set ``a.b.c`` in nested dicts, refusing keys the schema does not know."""
    parts = key.split(".")
    model: type[BaseModel] = config_model()
    target = data
    for depth, part in enumerate(parts):
        if part not in model.model_fields:
            raise ConfigError(f"override {key!r}: unknown key {part!r} (valid: {', '.join(model.model_fields)})")
        if depth == len(parts) - 1:
            target[part] = value
            return
        section = _section(model, part)
        if section is None:
            raise ConfigError(f"override {key!r}: {'.'.join(parts[: depth + 1])!r} is not a section")
        model = section
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            raise ConfigError(f"{origin}: {'.'.join(parts[: depth + 1])!r} is not a mapping")


def _section(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The settings model of a nested section, or None for a plain value."""
    field = model.model_fields.get(name)
    annotation = field.annotation if field is not None else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _describe(error: ValidationError, origin: str) -> str:
    """One line per problem, naming the file, the dotted key and the valid choices."""
    lines = [f"invalid config in {origin}:"]
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            parent = _model_at(problem["loc"][:-1])
            if parent is not None:
                message += f" (valid keys: {', '.join(parent.model_fields)})"
        lines.append(f"  {key}: {message}")
    return "\n".join(lines)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = config_model()
    for part in loc:
        model = _section(model, str(part)) if model is not None else None
    return model
