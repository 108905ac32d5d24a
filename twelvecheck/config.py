"""Configuration: defaults, presets with ``extends``, ``.twelvecheck.yaml`` or ``[tool.twelvecheck]``,
a repository's ``.hadolint.yaml``, ``TWELVECHECK_*`` variables, then command-line options.

Config files are only read (and YAML only imported) when they exist, so the pre-commit path of a
repository without one pays nothing for this.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twelvecheck.files import DEFAULT_MAX_BYTES
from twelvecheck.findings import SEVERITIES
from twelvecheck.lazy_re import lazy_compile

if TYPE_CHECKING:
    from twelvecheck.rules.base import Rule

CONFIG_NAMES = (".twelvecheck.yaml", ".twelvecheck.yml")
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
FAIL_LEVELS = (*SEVERITIES, "never")
PRESET_DIR = Path(__file__).resolve().parent / "rulesets" / "presets"


class ConfigError(ValueError):
    """A configuration problem: the CLI exits 2 with this message."""


@dataclass(frozen=True)
class RuleSettings:
    enabled: bool | None = None
    severity: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    ignore_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None  # None: every rule enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    fail_on: str = "warning"
    jobs: int = 0  # 0: as many as there are CPUs, for large runs
    max_file_bytes: int = DEFAULT_MAX_BYTES
    trusted_registries: tuple[str, ...] = ()
    label_schema: Mapping[str, str] = field(default_factory=dict)
    strict_labels: bool = False
    ignore_paths: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()  # absolute paths of rule pack files (docs/packs.md)
    ignore_pragmas: bool = True  # False: inline ignore pragmas are not honoured (--disable-ignore-pragma)
    require_reason: bool = False  # a pragma without '-- reason' is a TC002 finding (--require-reason)
    source: str | None = None  # the file this came from, for messages
    foreign: frozenset[str] = frozenset()  # hadolint codes from .hadolint.yaml we have no rule for: valid there
    # set when the configuration was found by searching (config_for gives each file its own)
    search: ConfigSearch | None = field(default=None, compare=False, repr=False)

    def settings_for(self, rule: type[Rule]) -> RuleSettings:
        merged = RuleSettings()
        for key, settings in self.rules.items():
            if selector_matches(key, rule):
                merged = RuleSettings(
                    enabled=settings.enabled if settings.enabled is not None else merged.enabled,
                    severity=settings.severity or merged.severity,
                    options={**merged.options, **settings.options},
                    ignore_paths=merged.ignore_paths + settings.ignore_paths,
                )
        return merged

    def is_enabled(self, rule: type[Rule]) -> bool:
        if rule.status == "removed":
            return False
        enabled = rule.enabled_by_default if self.select is None else any(
            selector_matches(s, rule) for s in self.select
        )
        enabled = enabled or any(selector_matches(s, rule) for s in self.extend_select)
        setting = self.settings_for(rule).enabled
        if setting is not None:
            enabled = setting
        return enabled and not any(selector_matches(s, rule) for s in self.ignore)


_PREFIX = lazy_compile(r"^(DF|SH|DC|DI|RP|AP|IM|TC)\d{0,3}$", re.IGNORECASE)


def selector_matches(selector: str, rule: type[Rule]) -> bool:
    """Select by code, code prefix (``DF``, ``DF0``), name, alias, ``factor:III`` or ``tool:hadolint``."""
    wanted = selector.strip()
    if wanted.lower() == "all":
        return True
    if wanted.lower().startswith("factor:"):
        return wanted[7:].strip().upper() in rule.factors
    if wanted.lower().startswith("tool:"):
        return bool(rule.aliases.get(wanted[5:].strip().lower()))
    if _PREFIX.match(wanted):
        return rule.code.startswith(wanted.upper())
    lowered = wanted.lower()
    return lowered == rule.name or any(lowered == alias.lower() for alias in rule.all_aliases())


MAX_CONFIG_BYTES = 4 * 1024 * 1024


def _yaml_load(path: Path) -> Any:
    import yaml

    from twelvecheck.files import Unreadable, read_bytes

    data = read_bytes(str(path), MAX_CONFIG_BYTES)  # a regular file: a FIFO must not hang the run
    if isinstance(data, Unreadable):
        raise ConfigError(f"{path}: cannot read configuration: {data.reason}")
    try:
        return yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: cannot read configuration: not UTF-8 ({error.reason})") from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        # where and what, never the file's text: a linked config must not quote what it links to
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise ConfigError(f"{path}{where}: cannot read configuration: invalid YAML ({problem})") from None


def _as_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{where}: '{key}' must be a list of strings")


def _rule_settings(value: Any, key: str, where: str) -> RuleSettings:
    if value in ("disable", False):
        return RuleSettings(enabled=False)
    if value in ("enable", True):
        return RuleSettings(enabled=True)
    if isinstance(value, str) and value in SEVERITIES:
        return RuleSettings(severity=value)
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: rules.{key} must be a mapping, 'enable', 'disable' or a severity")
    settings = dict(value)
    severity = settings.pop("severity", None)
    if severity is not None and severity not in SEVERITIES:
        raise ConfigError(f"{where}: rules.{key}.severity must be one of {', '.join(SEVERITIES)}")
    enabled = settings.pop("enabled", None)
    ignore_paths = _as_list(settings.pop("ignore-paths", settings.pop("ignore_paths", None)), "ignore-paths", where)
    return RuleSettings(enabled, severity, settings, ignore_paths)


_KEYS = {
    "extends", "select", "extend-select", "ignore", "rules", "fail-on", "jobs", "max-file-size",
    "trusted-registries", "label-schema", "strict-labels", "ignore-paths", "packs", "require-reason",
    "disable-ignore-pragma",
}


def _apply_mapping(config: Config, data: Mapping[str, Any], where: str, base_dir: Path) -> Config:
    data = {str(key).replace("_", "-"): value for key, value in data.items()}
    unknown = sorted(set(data) - _KEYS, key=str)
    if unknown:
        shown = ", ".join(str(key)[:40] for key in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ConfigError(f"{where}: unknown configuration key(s): {shown}")
    if "extends" in data:
        for parent in _as_list(data["extends"], "extends", where):
            config = _apply_file(config, _preset_path(parent, base_dir, where))
    changes: dict[str, Any] = {"source": where}
    if "select" in data:
        changes["select"] = _as_list(data["select"], "select", where)
    if "extend-select" in data:
        changes["extend_select"] = config.extend_select + _as_list(data["extend-select"], "extend-select", where)
    if "ignore" in data:
        changes["ignore"] = config.ignore + _as_list(data["ignore"], "ignore", where)
    if "rules" in data:
        if not isinstance(data["rules"], Mapping):
            raise ConfigError(f"{where}: 'rules' must be a mapping of rule code/name to settings")
        changes["rules"] = {**config.rules, **{str(k): _rule_settings(v, str(k), where) for k, v in data["rules"].items()}}
    if "fail-on" in data:
        changes["fail_on"] = check_fail_on(str(data["fail-on"]), where)
    if "jobs" in data:
        changes["jobs"] = _integer(data["jobs"], "jobs", where)
    if "max-file-size" in data:
        changes["max_file_bytes"] = _integer(data["max-file-size"], "max-file-size", where)
    if "trusted-registries" in data:
        changes["trusted_registries"] = _as_list(data["trusted-registries"], "trusted-registries", where)
    if "label-schema" in data:
        changes["label_schema"] = dict(data["label-schema"] or {})
    if "strict-labels" in data:
        changes["strict_labels"] = bool(data["strict-labels"])
    if "ignore-paths" in data:
        changes["ignore_paths"] = config.ignore_paths + _as_list(data["ignore-paths"], "ignore-paths", where)
    if "packs" in data:
        changes["packs"] = config.packs + _pack_paths(data["packs"], where, base_dir)
    if "require-reason" in data:
        changes["require_reason"] = bool(data["require-reason"])
    if "disable-ignore-pragma" in data:
        changes["ignore_pragmas"] = not data["disable-ignore-pragma"]
    return replace(config, **changes)


def _pack_paths(value: Any, where: str, base_dir: Path) -> tuple[str, ...]:
    """Pack files, relative to the configuration file that names them; read when rules load."""
    paths = []
    for name in _as_list(value, "packs", where):
        path = (base_dir / name).resolve()
        if not path.is_file():
            raise ConfigError(f"{where}: packs: {name!r}: no such pack file ({path})")
        paths.append(str(path))
    return tuple(paths)


def check_fail_on(value: str, where: str = "--fail-on") -> str:
    if value not in FAIL_LEVELS:
        raise ConfigError(f"{where}: fail-on must be one of {', '.join(FAIL_LEVELS)}")
    return value


def _preset_path(name: str, base_dir: Path, where: str) -> Path:
    preset = PRESET_DIR / f"{name}.yaml"
    if preset.is_file():
        return preset
    path = (base_dir / name).resolve()
    if path.is_file():
        return path
    raise ConfigError(f"{where}: extends {name!r}: no such preset or file")


def _apply_file(config: Config, path: Path) -> Config:
    data = _yaml_load(path) or {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return _apply_mapping(config, data, str(path), path.parent)


def _apply_hadolint(config: Config, path: Path) -> Config:
    """A ``.hadolint.yaml`` read through aliases, so users migrate for free."""
    data = _yaml_load(path) or {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    where = str(path)
    rules = dict(config.rules)
    for level, codes in (data.get("override") or {}).items():
        severity = {"error": "error", "warning": "warning", "info": "info", "style": "style"}.get(level)
        if severity is None:
            raise ConfigError(f"{where}: override level {level!r} is not error, warning, info or style")
        for code in _as_list(codes, f"override.{level}", where):
            rules[code] = RuleSettings(severity=severity)
    changes: dict[str, Any] = {"rules": rules}
    changes["ignore"] = config.ignore + _as_list(data.get("ignored"), "ignored", where)
    if data.get("trustedRegistries"):
        changes["trusted_registries"] = _as_list(data["trustedRegistries"], "trustedRegistries", where)
    if data.get("label-schema"):
        changes["label_schema"] = dict(data["label-schema"])
    if "strict-labels" in data:
        changes["strict_labels"] = bool(data["strict-labels"])
    if data.get("disable-ignore-pragma"):
        changes["ignore_pragmas"] = False
    if data.get("failure-threshold"):
        threshold = str(data["failure-threshold"])
        changes["fail_on"] = "never" if threshold == "none" else check_fail_on(threshold, where)
    return replace(config, **changes)


def _own_config(directory: str) -> Path | None:
    """This directory's ``.twelvecheck.yaml``/``.yml``, or its ``pyproject.toml`` when it has
    a ``[tool.twelvecheck]`` table."""
    for name in CONFIG_NAMES:
        if _discovered(Path(directory, name)):
            return Path(directory, name)
    pyproject = Path(directory, "pyproject.toml")
    if _discovered(pyproject):
        from twelvecheck.files import read_bytes

        data = read_bytes(str(pyproject), MAX_CONFIG_BYTES)
        if isinstance(data, bytes) and b"[tool.twelvecheck" in data:
            return pyproject
    return None


def _own_hadolint(directory: str) -> Path | None:
    for name in HADOLINT_NAMES:
        if _discovered(Path(directory, name)):
            return Path(directory, name)
    return None


def _discovered(path: Path) -> bool:
    """A configuration file found by walking up: a regular file, and (it comes with the
    repository, which may be hostile) not a symbolic link leading out of its own directory,
    whose target's lines error messages would quote; ``--config`` takes such a file."""
    from twelvecheck.files import inside, real_root

    if not path.is_file():
        return False
    if not inside(str(path), real_root(str(path.parent))):
        raise ConfigError(f"{path}: a symbolic link leading outside its directory; not read "
                          "(pass the file with --config to use it)")
    return True


Found = tuple["Path | None", "Path | None"]  # (the nearest .hadolint.yaml, the nearest twelvecheck configuration)


@dataclass(eq=False)
class ConfigSearch:
    """Each file's own configuration, as ruff finds it: the configuration file closest to the
    file applies to it. Walking up from the file's directory, the first ``.twelvecheck.yaml``
    (or ``.yml``, or ``pyproject.toml`` with ``[tool.twelvecheck]``) found is the file's
    configuration, and the first ``.hadolint.yaml`` found lies under it; nothing further up is
    merged in (a subproject's file inherits with ``extends: ../.twelvecheck.yaml``). The walk
    stops at the repository root (the first directory holding ``.git``), else at the
    filesystem root. The environment and the command line go over every file's configuration.
    Results are kept per directory, so many files cost one walk per directory."""

    layers: Callable[[Config], Config] | None = None  # TWELVECHECK_* and command-line options
    found: dict[str, Found] = field(default_factory=dict)  # directory -> its nearest files
    made: dict[Found, Config] = field(default_factory=dict)  # nearest files -> the configuration

    def nearest(self, directory: str) -> Found:
        """(the nearest ``.hadolint.yaml``, the nearest twelvecheck configuration) seen from
        ``directory``; the walk stops once both are found."""
        directory = os.path.abspath(directory)
        chain = []  # (directory, its own hadolint file, its own configuration), walking up
        hadolint = config = None
        ended = True  # the walk reached a cached directory, the repository root or "/"
        while True:
            if directory in self.found:
                hadolint, config = self.found[directory]
                break
            own = (directory, _own_hadolint(directory), _own_config(directory))
            chain.append(own)
            parent = os.path.dirname(directory)
            if parent == directory or os.path.exists(os.path.join(directory, ".git")):
                break
            if any(entry[1] for entry in chain) and any(entry[2] for entry in chain):
                ended = False  # what lies above the last directory is unknown: it is not cached
                break
            directory = parent
        known_hadolint = known_config = ended
        for folder, own_hadolint, own_config in reversed(chain):
            if own_hadolint is not None:
                hadolint, known_hadolint = own_hadolint, True
            if own_config is not None:
                config, known_config = own_config, True
            if known_hadolint and known_config:
                self.found[folder] = (hadolint, config)
        return hadolint, config

    def config_for(self, path: str) -> Config:
        """The configuration of the file at ``path`` (a directory's when it ends with a separator)."""
        found = self.nearest(os.path.dirname(os.path.abspath(path)) if not path.endswith(os.sep) else path)
        config = self.made.get(found)
        if config is None:
            config = _from_files(*found)
            if self.layers is not None:
                config = self.layers(config)
            config = self.made[found] = replace(config, search=self)
        return config


def config_for(config: Config, path: str) -> Config:
    """The configuration that applies to the file at ``path``: ``config`` itself unless it was
    discovered (``load_config`` without ``--config`` or ``--no-config``), when it is the
    file's nearest configuration under the same command line."""
    return config if config.search is None else config.search.config_for(path)


def _from_files(hadolint: Path | None, path: Path | None) -> Config:
    """The configuration from a ``.hadolint.yaml`` and then a twelvecheck configuration file
    (``--config .hadolint.yaml``, hadolint's own habit, reads it as hadolint's)."""
    if path is not None and path.name in HADOLINT_NAMES:
        hadolint, path = path, None
    config = Config()
    if hadolint is not None:
        config = _apply_hadolint(config, hadolint)
    # hadolint's own codes we have no rule for stay valid in .hadolint.yaml: migrating must not break
    config = replace(config, foreign=frozenset(config.ignore) | frozenset(config.rules))
    if path is None:
        return config
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("twelvecheck", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path}: {error}") from None
        return _apply_mapping(config, data, str(path), path.parent)
    return _apply_file(config, path)


def _environment(config: Config, environ: Mapping[str, str]) -> Config:
    changes: dict[str, Any] = {}
    if environ.get("TWELVECHECK_FAIL_ON"):
        changes["fail_on"] = check_fail_on(environ["TWELVECHECK_FAIL_ON"], "TWELVECHECK_FAIL_ON")
    if environ.get("TWELVECHECK_SELECT"):
        changes["select"] = _as_list(environ["TWELVECHECK_SELECT"], "select", "TWELVECHECK_SELECT")
    if environ.get("TWELVECHECK_IGNORE"):
        changes["ignore"] = config.ignore + _as_list(environ["TWELVECHECK_IGNORE"], "ignore", "TWELVECHECK_IGNORE")
    if environ.get("TWELVECHECK_JOBS"):
        changes["jobs"] = _integer(environ["TWELVECHECK_JOBS"], "jobs", "TWELVECHECK_JOBS")
    return replace(config, **changes)


def load_config(
    explicit: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    fail_on: str | None = None,
    jobs: int | None = None,
    no_config: bool = False,
    options: CommandLine | None = None,
) -> Config:
    """The effective configuration, from lowest to highest precedence: a ``.hadolint.yaml``,
    the twelvecheck configuration file, ``TWELVECHECK_*`` variables, the command line.

    ``--config FILE`` (or ``TWELVECHECK_CONFIG``) applies that one file to every linted file
    and nothing is searched; ``--no-config`` reads no file. Otherwise files are found as
    ``ConfigSearch`` says: the result is the configuration found from ``cwd`` (the linted files'
    common directory or the audited root: it decides the run-wide settings, fail-on and jobs),
    and ``config_for(result, path)`` gives each file its own."""
    cwd = cwd or Path.cwd()
    environ = os.environ if environ is None else environ
    explicit = explicit or environ.get("TWELVECHECK_CONFIG") or None

    def layers(config: Config) -> Config:
        config = _environment(config, environ)
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = tuple(select)
        if ignore:
            changes["ignore"] = config.ignore + tuple(ignore)
        if fail_on:
            changes["fail_on"] = check_fail_on(fail_on)
        if jobs is not None:
            changes["jobs"] = jobs
        config = replace(config, **changes)
        if options is not None:
            config = options.apply(config)
        check_selectors(config, exempt=config.foreign)
        return config

    if explicit:
        return layers(_from_files(None, Path(explicit)))
    if no_config:
        return layers(Config())
    return ConfigSearch(layers).config_for(os.path.join(str(cwd), ""))


@dataclass(frozen=True)
class CommandLine:
    """hadolint's and tally's command-line habits, applied over the configuration files."""

    severities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # --error/--warning/--info/--style CODE
    trusted_registries: tuple[str, ...] = ()
    required_labels: tuple[str, ...] = ()  # LABEL:FORMAT, as hadolint's --require-label
    strict_labels: bool = False
    disable_ignore_pragma: bool = False
    require_reason: bool = False

    def apply(self, config: Config) -> Config:
        rules = dict(config.rules)
        for severity, codes in self.severities.items():
            for code in codes:
                old = rules.get(code, RuleSettings())
                rules[code] = replace(old, severity=severity)
        schema = dict(config.label_schema)
        for requirement in self.required_labels:
            label, colon, kind = requirement.partition(":")
            if not colon or not label:
                raise ConfigError(f"--require-label {requirement!r}: expected LABEL:FORMAT (hadolint's form)")
            schema[label] = kind
        return replace(config, rules=rules, label_schema=schema,
                       trusted_registries=config.trusted_registries + self.trusted_registries,
                       strict_labels=config.strict_labels or self.strict_labels,
                       ignore_pragmas=config.ignore_pragmas and not self.disable_ignore_pragma,
                       require_reason=config.require_reason or self.require_reason)


_ALWAYS_VALID = re.compile(r"^(all|factor:(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)|tool:\w+|SC\d{4})$", re.IGNORECASE)


def check_selectors(config: Config, exempt: Iterable[str] = ()) -> None:
    """Every code, name, alias or prefix in --select, --ignore and the configuration must select
    some rule: a typo (``--ignore DF0012``) must fail the run, not silently turn CI green."""
    exempt = set(exempt)
    wanted = [s for s in (*(config.select or ()), *config.extend_select, *config.ignore, *config.rules)
              if s not in exempt and not _ALWAYS_VALID.match(s.strip())]
    if not wanted:
        return
    from twelvecheck.rules.registry import all_rule_infos

    rules = all_rule_infos(config)  # the rule index: no rule module imported
    unknown = [s for s in dict.fromkeys(wanted) if not any(selector_matches(s, rule) for rule in rules)]
    if unknown:
        raise ConfigError(f"unknown rule code, name or alias in --select/--ignore or the configuration: "
                          f"{', '.join(unknown)} (`twelvecheck rules` lists them)")


def _integer(value, key: str, where: str) -> int:
    """A whole number from a configuration file, or a ConfigError naming the key."""
    text = str(value).strip()
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not (text.isascii() and text.isdigit()) \
            or not 0 < int(text[:16]) < 2**40 or len(text) > 13:
        raise ConfigError(f"{where}: '{key}' must be a whole number from 1 to 2**40, not {text[:40]!r}")
    return int(text)
