"""What a shell command does at container start, in twelve-factor terms.

Shared by the Dockerfile rules (CMD, ENTRYPOINT, entrypoint scripts) and the compose rules
(``command:``, ``entrypoint:``): each question is a predicate on one parsed ``Command``.
"""

from __future__ import annotations

from twelvecheck.parse.shell import Command
from twelvecheck.lazy_re import lazy_compile

MIGRATION = lazy_compile(
    r"(manage\.py|django-admin)\s+migrate\b|\b(rake|rails)\s+db:(migrate|setup)\b|\balembic\s+upgrade\b"
    r"|\bflask\s+db\s+upgrade\b|\bknex\s+migrate:latest\b|\bprisma\s+(migrate\s+deploy|db\s+push)\b"
    r"|\bsequelize(-cli)?\s+db:migrate\b|\bartisan\s+migrate\b|\b(npm|yarn|pnpm)\s+(run\s+)?(db:)?migrate\b"
    r"|\bgoose\b.*\bup\b|\bflyway\b.*\bmigrate\b|\bliquibase\b.*\bupdate\b|\btypeorm\b.*migration:run"
)
# One-off admin commands of the app's own code (factor XII): migrations, management commands,
# rake tasks, consoles, scripts run against the release.
ADMIN = lazy_compile(
    r"(^|\s)(\S*/)?(manage\.py|django-admin|artisan|rake|console)\s+\S|\brails\s+(db:|runner|console|c\b)|\bflask\s+(db|shell)\b"
    r"|\balembic\s+upgrade\b|\bbin/(rails|rake)\s+\S"
)
INSTALL = lazy_compile(
    r"^(npm\s+(install|i|ci)|yarn(\s+install)?|pnpm\s+(install|i)|pip[\d.]*\s+install|python[\d.]*\s+-m\s+pip\s+install"
    r"|bundle(\s+install)?|composer\s+install|apt-get\s+install|apt\s+install|apk\s+add|yum\s+install|dnf\s+install"
    r"|go\s+(build|mod\s+download|get)|mvn\b.*\b(package|install)|gradle\b.*\bbuild|\./gradlew\b.*\bbuild"
    r"|(npm|yarn|pnpm)\s+(run\s+)?build|cargo\s+build|dotnet\s+(restore|build|publish)|poetry\s+install|uv\s+sync)(\s|$)"
)
DEV_SERVER = lazy_compile(
    r"^((npm|pnpm)\s+run\s+(dev|serve|watch)|yarn\s+(run\s+)?(dev|serve|watch)|pnpm\s+(dev|serve)|next\s+dev"
    r"|nodemon|ts-node-dev|webpack-dev-server|webpack\s+serve|ng\s+serve|vite(\s+(dev|serve))?"
    r"|react-scripts\s+start|flask\s+run|python[\d.]*\s+(\S*/)?manage\.py\s+runserver|(\S*/)?manage\.py\s+runserver"
    r"|uvicorn\b.*--reload|gunicorn\b.*--reload|rails\s+(s|server)\b.*(-e|--environment)[ =]development)(\s|$)"
)
SUPERVISORS = frozenset({"supervisord", "runsvdir", "runsv", "s6-svscan", "s6-supervise", "circusd", "forever",
                         "monit", "systemd", "init", "god"})
CRON_DAEMONS = frozenset({"cron", "crond", "supercronic", "anacron", "fcron", "go-crond"})
INIT_PROCESSES = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "docker-init", "s6-svscan", "runsvdir",
                            "supervisord", "pid1", "my_init"})
PACKAGE_SCRIPT_RUNNER = lazy_compile(r"^(npm|pnpm)\s+(start|run(-script)?\s+\S+)|^yarn\s+(start|run\s+\S+|[a-z][\w:-]*)$|^yarn\s+start\b")
INIT_SCRIPTS = lazy_compile(r"^(service\s+\S+\s+(start|restart)|/etc/init\.d/\S+\s+(start|restart)|systemctl\s+(start|restart)|rc-service\s+\S+\s+start)\b")
LOG_OPTIONS = lazy_compile(r"^--?(log-?file|access-?logfile|error-?logfile|log-path|logfile|log)(=(.*))?$")
WEB_SERVER = lazy_compile(
    r"^(exec\s+)?(\S*/)?(gunicorn|uvicorn|hypercorn|daphne|waitress-serve|puma|unicorn|nginx|httpd|apache2-foreground|caddy"
    r"|php\s+-S|rails\s+(s|server)|bundle\s+exec\s+(puma|rails\s+s)|next\s+start|npm\s+start|node\s+\S*server\S*\.js)(\s|$)"
)
PORT_OPTIONS = frozenset({"--port", "-p", "--bind", "-b", "--listen", "--http-port", "--addr"})
PORT_VALUE = lazy_compile(r"^(\S*:)?(\d{2,5})$")
STREAMS = ("-", "/dev/stdout", "/dev/stderr", "/proc/self/fd/1", "/proc/self/fd/2", "/dev/null")


MAX_LINE = 8192  # a command matched by these patterns is looked at up to here


def line_of(command: Command) -> str:
    """The command's words as one line (values, quotes removed), for pattern matching; cut at
    MAX_LINE characters, since patterns such as ``goose .* up`` are quadratic on a 4 MB line."""
    return " ".join(word.value for word in command.argv)[:MAX_LINE]


def runs_migrations(command: Command) -> bool:
    return bool(MIGRATION.search(line_of(command)))


def runs_admin_task(command: Command) -> bool:
    """A migration or another one-off management command of the app (``manage.py``, ``rake``)."""
    return runs_migrations(command) or bool(ADMIN.search(line_of(command)))


def installs_or_builds(command: Command) -> bool:
    return bool(INSTALL.match(_without_runner(command)))


def runs_dev_server(command: Command) -> bool:
    return bool(DEV_SERVER.match(_without_runner(command)))


def runs_supervisor(command: Command) -> bool:
    return command.name in SUPERVISORS or line_of(command).startswith("/init") \
        or started_service(command) in SUPERVISOR_SERVICES


def runs_cron_daemon(command: Command) -> bool:
    return command.name in CRON_DAEMONS or (command.name == "busybox" and command.args[:1] == ("crond",)) \
        or started_service(command) in CRON_DAEMONS | {"cronie"}


SUPERVISOR_SERVICES = frozenset({"supervisor", "supervisord", "runit", "monit", "circus", "circusd"})
_SERVICE_START = lazy_compile(r"^(?:service\s+(\S+)\s+(?:start|restart)|/etc/init\.d/(\S+)\s+(?:start|restart)"
                              r"|(?:rc-service|invoke-rc\.d)\s+(\S+)\s+(?:start|restart)"
                              r"|systemctl\s+(?:start|restart)\s+(\S+?)(?:\.service)?)(?:\s|$)")


def started_service(command: Command) -> str | None:
    """The daemon an init script starts (``service cron start``, ``/etc/init.d/supervisor start``,
    ``rc-service crond start``, ``systemctl start cron``), or None."""
    match = _SERVICE_START.match(_init_line(command))
    return next((name for name in match.groups() if name), None) if match else None


def starts_init_service(command: Command) -> bool:
    return bool(INIT_SCRIPTS.match(_init_line(command)))


def _init_line(command: Command) -> str:
    """The command line without ``exec``/``sudo``, keeping the program's path (``/etc/init.d/cron``)."""
    words = [word.value for word in command.argv]
    while words and words[0] in ("exec", "sudo", "--"):
        words = words[1:]
    return " ".join(words)[:MAX_LINE]


def is_init_process(command: Command) -> bool:
    """An init that reaps zombies and forwards signals: tini, dumb-init, s6's ``/init``..."""
    return command.name in INIT_PROCESSES or line_of(command).startswith("/init")


def runs_package_script(command: Command) -> bool:
    """``npm start``, ``yarn serve``: a package manager that runs the app as its child
    (through ``sh -c``), forwarding no signals and reaping nothing."""
    return bool(PACKAGE_SCRIPT_RUNNER.match(_without_runner(command)))


def follows_file(command: Command) -> bool:
    """``tail -f FILE``: a process whose only job is to keep the container alive."""
    return command.name == "tail" and any(arg in ("-f", "-F", "--follow") or (arg.startswith("-") and "f" in arg.lower() and not arg.startswith("--"))
                                          for arg in command.args)


def log_file_target(command: Command) -> str | None:
    """A log file the command writes to (a redirect, or a ``--log-file`` style option)."""
    for redirect in command.redirects:
        target = redirect.target.value
        if redirect.op in (">", ">>", "&>", "&>>", ">|") and _is_log_path(target):
            return target
    args = command.args
    for index, arg in enumerate(args):
        match = LOG_OPTIONS.match(arg)
        if match is None:
            continue
        value = match.group(3) if match.group(2) else (args[index + 1] if index + 1 < len(args) else "")
        if value and value not in STREAMS and "/" in value and not value.startswith("$"):
            return value
    return None


def runs_web_server(command: Command) -> bool:
    return bool(WEB_SERVER.match(line_of(command)))


def fixed_port(command: Command) -> tuple[str, str] | None:
    """(option, port) when the command binds a literal port (``--bind 0.0.0.0:8000``,
    ``--port=3000``, ``runserver 0.0.0.0:8000``, ``-Dserver.port=8080``); None when it binds
    none or takes it from a variable. ``-p``/``--port`` style options count for web servers
    only (``-p`` means other things to other programs)."""
    args = command.args
    generic = runs_web_server(command) or command.name in ("flask", "streamlit", "http-server", "serve")
    for index, arg in enumerate(args):
        option, sep, value = arg.partition("=")
        if (generic and option in PORT_OPTIONS) or option in ("-Dserver.port", "--server.port"):
            value = value if sep else (args[index + 1] if index + 1 < len(args) else "")
        elif index > 0 and args[index - 1] in ("runserver", "-S"):
            option, value = args[index - 1], arg
        else:
            continue
        match = PORT_VALUE.match(value)
        if match and "$" not in value:
            return option, match.group(2)
    return None


def _is_log_path(target: str) -> bool:
    return target not in STREAMS and (target.endswith(".log") or target.startswith("/var/log/"))


def _without_runner(command: Command) -> str:
    """The command line without ``exec``, ``npx``, ``bundle exec``, ``poetry run``, ``uv run``."""
    words = [word.value for word in command.argv]
    while words and words[0] in ("exec", "npx", "gosu", "su-exec", "tini", "dumb-init", "--"):
        words = words[1:] if words[0] not in ("gosu", "su-exec") else words[2:]
    if words[:2] in (["bundle", "exec"], ["poetry", "run"], ["uv", "run"], ["pipenv", "run"]):
        words = words[2:]
    if words:
        words[0] = words[0].rsplit("/", 1)[-1] if not words[0].endswith("manage.py") else words[0]
    return " ".join(words)
