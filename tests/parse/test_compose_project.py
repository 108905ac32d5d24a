"""Project loading: discovery, -f merge rules, extends, include, env files, profiles, model."""

from pathlib import Path

from twelvecheck.parse.compose import PortRange, load_project, validate


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


BASE = """\
services:
  web:
    image: app:1
    command: ["serve", "--port", "80"]
    entrypoint: /entry.sh
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 10s
    ports: ["8080:80", "8443:443"]
    expose: ["80"]
    dns: [1.1.1.1]
    environment: [A=1, B=2]
    labels: {team: web}
    extra_hosts: ["db:10.0.0.1"]
    sysctls: [net.core.somaxconn=1024]
    ulimits: {nofile: {soft: 1024, hard: 2048}}
    volumes: ["./src:/app", "data:/data"]
    secrets: [token]
    logging: {driver: json-file, options: {max-size: 1m}}
    cap_add: [NET_ADMIN]
volumes:
  data: {}
x-meta: {owner: a}
"""

OVERRIDE = """\
services:
  web:
    command: serve --debug
    entrypoint: ["/other"]
    healthcheck:
      test: ["CMD", "true"]
    ports: ["8080:80", "9000:9000"]
    dns: [8.8.8.8]
    environment: {B: "3", C: "4"}
    labels: [tier=front]
    extra_hosts: {cache: 10.0.0.2}
    sysctls: {net.ipv4.ip_forward: 1}
    ulimits: {nofile: {soft: 4096}}
    volumes: ["./other:/app"]
    secrets: [{source: token, target: /run/t}]
    logging: {driver: syslog}
    cap_add: !reset []
    expose: !override ["81"]
x-meta: {repo: b}
"""


def test_default_files_are_discovered_with_their_override(tmp_path):
    write(tmp_path, "compose.yaml", BASE)
    write(tmp_path, "compose.override.yml", OVERRIDE)
    write(tmp_path, "docker-compose.yml", "services: {ignored: {image: x}}\n")
    project = load_project([tmp_path], env={})
    assert [f.path.name for f in project.files] == ["compose.yaml", "compose.override.yml"]
    assert list(project.services) == ["web"]
    assert project.name == tmp_path.name.lower()


def test_override_merge_rules(tmp_path):
    base, override = write(tmp_path, "a.yaml", BASE), write(tmp_path, "b.yaml", OVERRIDE)
    project = load_project([base, override], env={})
    assert project.errors == []
    web = project.model.at("services", "web").plain()
    assert web["command"] == "serve --debug"
    assert web["entrypoint"] == ["/other"]
    assert web["healthcheck"] == {"test": ["CMD", "true"], "interval": "10s"}
    assert web["ports"] == ["8443:443", "8080:80", "9000:9000"]
    assert web["dns"] == ["1.1.1.1", "8.8.8.8"]
    assert web["environment"] == {"A": "1", "B": "3", "C": "4"}
    assert web["labels"] == {"team": "web", "tier": "front"}
    assert web["extra_hosts"] == {"db": "10.0.0.1", "cache": "10.0.0.2"}
    assert web["sysctls"] == {"net.core.somaxconn": "1024", "net.ipv4.ip_forward": 1}
    assert web["ulimits"] == {"nofile": {"soft": 4096, "hard": 2048}}
    assert web["volumes"] == ["data:/data", "./other:/app"]
    assert web["secrets"] == [{"source": "token", "target": "/run/t"}]
    assert web["logging"] == {"driver": "syslog"}
    assert "cap_add" not in web
    assert web["expose"] == ["81"]
    assert project.model.get("x-meta").plain() == {"repo": "b"}


def test_merged_values_keep_the_file_line_and_column_they_came_from(tmp_path):
    base, override = write(tmp_path, "a.yaml", BASE), write(tmp_path, "b.yaml", OVERRIDE)
    web = load_project([base, override], env={}).services["web"]
    assert web.environment["A"].file == str(base) and web.environment["A"].span.line == 12
    assert web.environment["C"].file == str(override) and web.environment["C"].span.line == 9
    assert web.environment["A"].span.column == 19
    image = web.image
    assert (image.file, image.span.line, image.span.column) == (str(base), 3, 12)


def test_logging_options_merge_when_driver_is_the_same(tmp_path):
    a = write(tmp_path, "a.yaml", "services: {w: {logging: {driver: local, options: {a: 1}}}}\n")
    b = write(tmp_path, "b.yaml", "services: {w: {logging: {options: {b: 2}}}}\n")
    logging = load_project([a, b], env={}).model.at("services", "w", "logging").plain()
    assert logging == {"driver": "local", "options": {"a": 1, "b": 2}}


def test_extends_same_file_and_other_file(tmp_path):
    write(tmp_path, "common/base.yaml", """\
services:
  base:
    image: base:1
    environment: [FROM_BASE=1]
    build: ./ctx
""")
    main = write(tmp_path, "compose.yaml", """\
services:
  shared:
    extends: {file: common/base.yaml, service: base}
    environment: {OWN: "2"}
  child:
    extends: shared
    command: run
""")
    project = load_project([main], env={})
    assert project.errors == []
    child = project.services["child"]
    assert set(child.environment) == {"FROM_BASE", "OWN"}
    assert child.get("command").plain() == "run"
    assert child.image.file.endswith("base.yaml")
    assert child.build.context == str((tmp_path / "common" / "ctx").resolve())
    assert "extends" not in child.node


def test_extends_cycle_and_missing_service_are_errors(tmp_path):
    main = write(tmp_path, "compose.yaml", """\
services:
  a: {extends: b}
  b: {extends: a}
  c: {extends: nowhere}
""")
    messages = [e.message for e in load_project([main], env={}).errors]
    assert any("circular" in m for m in messages)
    assert any("no service 'nowhere'" in m for m in messages)


def test_include_uses_its_own_directory_and_env_file(tmp_path):
    write(tmp_path, "sub/.env", "TAG=from-sub\n")
    write(tmp_path, "sub/compose.yaml", """\
services:
  db:
    image: postgres:${TAG}
    build: .
""")
    main = write(tmp_path, "compose.yaml", "include:\n  - sub/compose.yaml\nservices:\n  web: {image: w}\n")
    project = load_project([main], env={})
    assert project.errors == []
    db = project.services["db"]
    assert db.image.plain() == "postgres:from-sub"
    assert db.build.context == str((tmp_path / "sub").resolve())
    assert db.image.file == str((tmp_path / "sub" / "compose.yaml").resolve())


def test_include_conflict_is_an_error(tmp_path):
    write(tmp_path, "sub.yaml", "services: {web: {image: a}}\n")
    main = write(tmp_path, "compose.yaml", "include: [sub.yaml]\nservices: {web: {image: b}}\n")
    assert "conflicts" in load_project([main], env={}).errors[0].message


def test_env_precedence_and_env_file_forms(tmp_path):
    write(tmp_path, ".env", "TAG=dotenv\nOTHER=dotenv\n")
    write(tmp_path, "web.env", "FROM_FILE=1\nSHARED=file\n")
    main = write(tmp_path, "compose.yaml", """\
services:
  web:
    image: app:${TAG}-${OTHER}
    env_file:
      - web.env
      - {path: optional.env, required: false}
    environment:
      SHARED: env
""")
    project = load_project([main], env={"TAG": "shell"})
    assert project.errors == []
    web = project.services["web"]
    assert web.image.plain() == "app:shell-dotenv"
    assert {k: v.value for k, v in web.environment.items()} == {"FROM_FILE": "1", "SHARED": "env"}
    assert web.environment["FROM_FILE"].source == "env_file"
    assert web.environment["FROM_FILE"].file.endswith("web.env")


def test_explicit_env_files_replace_dotenv(tmp_path):
    write(tmp_path, ".env", "TAG=dotenv\n")
    custom = write(tmp_path, "custom.env", "TAG=custom\n")
    main = write(tmp_path, "compose.yaml", "services: {web: {image: 'app:${TAG}'}}\n")
    project = load_project([main], env={}, env_files=[custom])
    assert project.services["web"].image.plain() == "app:custom"


def test_missing_required_env_file_is_an_error(tmp_path):
    main = write(tmp_path, "compose.yaml", "services: {web: {image: a, env_file: nope.env}}\n")
    (error,) = load_project([main], env={}).errors
    assert "not found" in error.message and error.span.line == 1


def test_profiles(tmp_path):
    main = write(tmp_path, "compose.yaml", """\
services:
  web: {image: a}
  debug: {image: b, profiles: [debug]}
  tools: {image: c, profiles: [tools, debug]}
""")
    project = load_project([main], env={})
    assert list(project.services_for_profiles([])) == ["web"]
    assert list(project.services_for_profiles(["tools"])) == ["web", "tools"]
    assert len(project.services_for_profiles(["*"])) == 3


def test_service_model(tmp_path):
    main = write(tmp_path, "compose.yaml", """\
services:
  web:
    image: app
    build:
      context: ./app
      dockerfile: Dockerfile.prod
      target: runtime
      args: [VERSION=1, EMPTY]
    ports:
      - "127.0.0.1:8080:80/tcp"
      - "8000-8010:8000-8010"
      - "80"
      - "[::1]:5353:53/udp"
      - 9090:9090
      - target: 443
        published: "8443"
        host_ip: 0.0.0.0
        protocol: tcp
    volumes:
      - ./src:/app:ro
      - data:/var/lib/data
      - /anon
      - type: bind
        source: ./conf
        target: /etc/conf
        read_only: true
    depends_on:
      db: {condition: service_healthy}
  worker:
    build: ./worker
    depends_on: [web]
""")
    project = load_project([main], env={})
    assert project.errors == []
    web = project.services["web"]
    ports = [(p.host_ip, p.published, p.target, p.protocol) for p in web.ports]
    assert ports == [
        ("127.0.0.1", PortRange(8080, 8080), PortRange(80, 80), "tcp"),
        (None, PortRange(8000, 8010), PortRange(8000, 8010), "tcp"),
        (None, None, PortRange(80, 80), "tcp"),
        ("::1", PortRange(5353, 5353), PortRange(53, 53), "udp"),
        (None, PortRange(9090, 9090), PortRange(9090, 9090), "tcp"),
        ("0.0.0.0", PortRange(8443, 8443), PortRange(443, 443), "tcp"),
    ]
    assert web.ports[0].span.line == 10
    volumes = [(v.type, v.source, v.target, v.read_only) for v in web.volumes]
    assert volumes == [
        ("bind", "./src", "/app", True), ("volume", "data", "/var/lib/data", False),
        ("volume", None, "/anon", False), ("bind", "./conf", "/etc/conf", True),
    ]
    assert web.build.context == str((tmp_path / "app").resolve())
    assert (web.build.dockerfile, web.build.target) == ("Dockerfile.prod", "runtime")
    assert web.build.args == {"VERSION": "1", "EMPTY": None}
    assert [(d.service, d.condition) for d in web.depends_on] == [("db", "service_healthy")]
    worker = project.services["worker"]
    assert worker.build.context == str((tmp_path / "worker").resolve())
    assert [(d.service, d.condition, d.required) for d in worker.depends_on] == [
        ("web", "service_started", True)]


def test_bad_port_is_an_error_and_the_rest_is_kept(tmp_path):
    main = write(tmp_path, "compose.yaml", "services:\n  web:\n    ports: ['80', 'x:y:z:w']\n")
    project = load_project([main], env={})
    assert len(project.services["web"].ports) == 1
    assert project.errors[0].span.line == 3


def test_broken_file_gives_an_error_not_an_exception(tmp_path):
    main = write(tmp_path, "compose.yaml", "services:\n  web: [\n")
    project = load_project([main], env={})
    assert len(project.errors) == 1 and project.services == {}


def test_validation_reports_unknown_keys_at_their_line(tmp_path):
    main = write(tmp_path, "compose.yaml", """\
services:
  web:
    image: app
    wrongField: 1
    ports: {not: a list}
""")
    (error_unknown, error_type) = validate(load_project([main], env={}).files[0].root)
    assert error_unknown.message == "services.web.wrongField: additional property not allowed"
    assert error_unknown.span.line == 4
    assert error_type.message.startswith("services.web.ports:") and error_type.span.line == 5


def test_jsonschema_is_imported_only_when_validating():
    import subprocess
    import sys

    code = ("import sys, twelvecheck.parse.compose as c, pathlib, tempfile;"
            "d=pathlib.Path(tempfile.mkdtemp()); (d/'compose.yaml').write_text('services: {}');"
            "c.load_project([d], env={}); print('jsonschema' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert output.stdout.strip() == "False", output.stderr
