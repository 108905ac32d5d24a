"""verify --run on small busybox images: each probe on a good and a bad twin with its measured
evidence (seconds, ports, paths, bytes), the probes' documented examples, runs that cannot start,
compose settings, limits, cleanup (also on SIGINT) and the sandbox's isolation."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest

from helpers import default_sigint, write_tree
from twelvecheck.build import builder, runtime
from twelvecheck.config import Config, RuleSettings
from twelvecheck.rules.docs import example_files, examples
from twelvecheck.rules.registry import all_rules
from twelvecheck.verification import verify

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the run needs root for its overlay and namespaces")

RUN_RULES = [rule for rule in all_rules() if getattr(rule, "run_time", False)]
GRACE = 1.5
LOOP = "trap 'exit 0' TERM; while :; do sleep 0.1; done"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("run-cache"))


@pytest.fixture
def run_verify(tmp_path, busybox_base, cache_dir):
    """verify --run of a context (Dockerfile text or files); the findings of ``codes``."""
    counter = iter(range(100))

    def go(files, codes=None, options=None, grace=GRACE, **run):
        files = {"Dockerfile": files} if isinstance(files, str) else files
        root = tmp_path / f"c{next(counter)}"
        write_tree(str(root), files)
        settings = {code: RuleSettings(options=values) for code, values in (options or {}).items()}
        config = Config(select=tuple(codes or [r.code for r in RUN_RULES]), rules=settings)
        report = verify(str(root), config=config, bases={"busybox": f"oci:{busybox_base}"}, cache_dir=cache_dir,
                        run=runtime.RunOptions(grace=grace, **run))
        return report

    return go


@pytest.fixture
def record(tmp_path, busybox_base, cache_dir):
    """The Recording of a run of the image built from ``dockerfile``."""

    def go(dockerfile, **options):
        root = tmp_path / uuid.uuid4().hex[:8]
        write_tree(str(root), {"Dockerfile": dockerfile})
        built = builder.build(str(root), str(root / "Dockerfile"), bases={"busybox": f"oci:{busybox_base}"},
                              cache_dir=cache_dir, progress=lambda line: None)
        layers = [built.blob_path(layer.descriptor.digest) for layer in built.layers]
        return runtime.run_image(built.config, layers, runtime.RunOptions(**{"grace": GRACE, **options}))

    return go


def found(report, code):
    return [finding for finding in report.findings if finding.rule == code]


def data(finding, index=0):
    return finding.evidence[index].data


# -- the documented examples ----------------------------------------------------------------------

@pytest.mark.parametrize("rule", RUN_RULES, ids=lambda rule: rule.code)
def test_probe_examples_bad_fires_good_is_silent(rule, run_verify):
    bad, good = examples(rule)
    for example in bad:
        hits = found(run_verify(example_files(example), [rule.code]), rule.code)
        assert hits and all(f.verification == "confirmed" and f.evidence for f in hits), example.text
    for example in good:
        assert not found(run_verify(example_files(example), [rule.code]), rule.code), example.text


# -- IX: stop signal --------------------------------------------------------------------------------

def test_ignoring_term_is_killed_after_the_grace_period(record):
    bad = record(f'FROM busybox\nCMD ["sh", "-c", "trap \'\' TERM; while :; do sleep 0.1; done"]\n')
    good = record(f'FROM busybox\nCMD ["sh", "-c", "{LOOP}"]\n')
    assert bad.killed and bad.stop_seconds is None and bad.signal_name == "SIGTERM"
    assert not good.killed and good.stop_seconds < 1.0 and good.status == 0


def test_slow_stop_evidence_has_the_seconds_and_the_shell_wrapper_as_cause(run_verify):
    report = run_verify('FROM busybox\nEXPOSE 8080\nCMD httpd -f -p 8080; echo stopped\n', ["IM011"])
    (finding,) = found(report, "IM011")
    assert data(finding)["seconds"] == GRACE and data(finding)["value"] == "SIGTERM"
    assert "pid 1 is a shell" in finding.message and "httpd -f -p 8080" in finding.message
    assert finding.span.line == 3
    # busybox httpd has no SIGTERM handler, so as pid 1 it ignores the signal too (as under docker):
    # the good twin handles it and stops at once.
    handled = run_verify(f'FROM busybox\nEXPOSE 8080\nCMD ["sh", "-c", "httpd -p 8080; {LOOP}"]\n', ["IM011"])
    assert not found(handled, "IM011")
    assert any("ready in" in note and "port 8080 accepts" in note for note in handled.notes)


def test_stopsignal_is_the_one_sent(record):
    rec = record(f'FROM busybox\nSTOPSIGNAL SIGUSR1\nCMD ["sh", "-c", "trap \'exit 3\' USR1; {LOOP}"]\n')
    assert rec.signal_name == "SIGUSR1" and rec.status == 3 and rec.stop_seconds < 1.0


# -- VII: ports -------------------------------------------------------------------------------------

def test_server_on_another_port_than_its_expose(run_verify):
    report = run_verify('FROM busybox\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8081"]\n', ["IM012"])
    (finding,) = found(report, "IM012")
    assert data(finding)["port"] == 8080 and data(finding)["value"] == [8081]
    assert finding.span.line == 2 and "8081" in finding.message


def test_loopback_only_is_unreachable(run_verify):
    report = run_verify('FROM busybox\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "127.0.0.1:8080"]\n', ["IM012"])
    (finding,) = found(report, "IM012")
    assert data(finding)["value"] == "127.0.0.1" and data(finding)["port"] == 8080


def test_port_from_the_environment(run_verify, record):
    honours = 'FROM busybox\nEXPOSE 8080\nCMD httpd -f -p ${PORT:-8080}\n'
    fixed = 'FROM busybox\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080"]\n'
    rec = record(honours)
    assert [item.port for item in rec.listeners] == [8080]
    assert rec.port_env == 34567 and [item.port for item in rec.port_env_listeners] == [34567]
    options = {"IM012": {"port-from-env": True}}
    assert not found(run_verify(honours, ["IM012"], options), "IM012")
    (finding,) = found(run_verify(fixed, ["IM012"], options), "IM012")
    assert data(finding)["port"] == 34567 and data(finding)["value"] == [8080]


# -- XI, VI: files written during the run -------------------------------------------------------------

def test_logger_writing_var_log_app(run_verify):
    logger = ('FROM busybox\nCMD ["sh", "-c", "mkdir -p /var/log/app; echo 0123456789 > /var/log/app/app.log; '
              f'echo started; {LOOP}"]\n')
    (finding,) = found(run_verify(logger, ["IM013"]), "IM013")
    assert data(finding)["path"] == "/var/log/app/app.log" and data(finding)["bytes"] == 11
    assert data(finding, 1)["bytes"] == len("started\n")
    stdout = f'FROM busybox\nCMD ["sh", "-c", "echo 0123456789; {LOOP}"]\n'
    assert not found(run_verify(stdout, ["IM013"]), "IM013")


def test_state_in_srv_data_with_and_without_volume(run_verify, record):
    command = f'CMD ["sh", "-c", "mkdir -p /srv/data /tmp/x; echo 42 > /srv/data/counter; echo t > /tmp/x/t; {LOOP}"]\n'
    (finding,) = found(run_verify("FROM busybox\n" + command, ["IM014"]), "IM014")
    assert [e.data["path"] for e in finding.evidence] == ["/srv/data/counter"] and data(finding)["bytes"] == 3
    assert not found(run_verify("FROM busybox\nVOLUME /srv/data\n" + command, ["IM014"]), "IM014")
    rec = record("FROM busybox\n" + command)
    assert {(w.path, w.kind) for w in rec.files} == {("/srv/data/counter", "created"), ("/tmp/x/t", "created")}


# -- VIII: processes ----------------------------------------------------------------------------------

def test_two_servers_in_one_container(run_verify):
    two = f'FROM busybox\nEXPOSE 8080\nCMD ["sh", "-c", "httpd -p 8080; httpd -p 8081; {LOOP}"]\n'
    (finding,) = found(run_verify(two, ["IM015"]), "IM015")
    assert sorted(e.data["port"] for e in finding.evidence) == [8080, 8081]
    assert all(e.data["pid"] > 1 for e in finding.evidence)
    one = 'FROM busybox\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080"]\n'
    assert not found(run_verify(one, ["IM015"]), "IM015")


def test_cron_daemon(run_verify):
    report = run_verify(f'FROM busybox\nCMD ["sh", "-c", "mkdir -p /var/spool/cron/crontabs; crond; {LOOP}"]\n',
                        ["IM015"])
    (finding,) = found(report, "IM015")
    assert "cron daemon" in finding.message and data(finding)["value"][0] == "crond"


# -- runs that cannot start ----------------------------------------------------------------------------

def test_missing_binary_is_a_finding_with_status_and_output(run_verify):
    (finding,) = found(run_verify('FROM busybox\nCMD ["/app/server"]\n', ["IM010"]), "IM010")
    assert data(finding)["value"] not in (0, None) and data(finding)["seconds"] < 5
    assert any("/app/server" in line for line in data(finding)["output"])


def test_crash_gives_its_exit_code_and_last_lines(run_verify):
    report = run_verify('FROM busybox\nCMD ["sh", "-c", "echo cannot open config >&2; exit 7"]\n', ["IM010"])
    (finding,) = found(report, "IM010")
    assert data(finding)["value"] == 7 and "cannot open config" in finding.message


# -- compose ------------------------------------------------------------------------------------------

def test_compose_service_environment_command_and_backing_services(run_verify):
    compose = """services:
  web:
    build: .
    environment:
      PORT: "${WEB_PORT:-9090}"
    command: ["sh", "-c", "httpd -f -p $$PORT"]
    ports: ["80:9090"]
    stop_grace_period: 1s
    depends_on: [db]
  db:
    image: postgres
"""
    report = run_verify({"Dockerfile": 'FROM busybox\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080"]\n',
                         "compose.yaml": compose}, ["IM012"], grace=5)
    (finding,) = found(report, "IM012")  # EXPOSE 8080 is not served; 9090 (compose ports) is
    assert data(finding)["port"] == 8080 and data(finding)["value"] == [9090]
    assert any("compose service 'web'" in note for note in report.notes)
    assert any("backing services (db)" in note for note in report.notes)
    assert any("starts without its backing services" in note for note in report.notes)
    assert any("still running 1 s after SIGTERM" in note for note in report.notes)  # sh -c as pid 1


def test_failing_fast_without_backing_services_is_a_note(run_verify):
    compose = "services:\n  app:\n    build: .\n    depends_on: [db]\n"
    dockerfile = 'FROM busybox\nCMD ["sh", "-c", "echo no database at db:5432 >&2; exit 1"]\n'
    report = run_verify({"Dockerfile": dockerfile, "compose.yaml": compose}, ["IM010"])
    assert not found(report, "IM010")
    assert any("fails fast (status 1" in note and "no database" in note for note in report.notes)


# -- limits, cleanup, isolation -----------------------------------------------------------------------

def _alive(host_pids):
    return [pid for pid in host_pids if os.path.exists(f"/proc/{pid}")]


def test_fork_bomb_is_held_by_the_pids_limit(record):
    rec = record('FROM busybox\nCMD ["sh", "-c", "b() { b | b & }; b; while :; do sleep 0.1; done"]\n', pids=64,
                 start_timeout=3)
    assert len(rec.processes) <= 64
    assert not _alive(process.host_pid for process in rec.processes)
    assert "pids" in rec.enforcement or "RLIMIT_NPROC" in rec.enforcement


def test_unbounded_allocation_is_stopped_by_the_memory_limit(record):
    rec = record('FROM busybox\nCMD ["dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1"]\n', memory=64 << 20)
    assert rec.exited_early is not None and rec.status not in (0, None)
    if "memory" in rec.enforcement and "cgroups" in rec.enforcement:
        assert "memory" in rec.limits_hit


def _marker_processes(marker):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if marker.encode() in handle.read():
                        pids.append(int(entry))
            except OSError:
                pass
    return [pid for pid in pids if pid != os.getpid()]


def test_nothing_is_left_running_after_verify_nor_after_sigint(tmp_path, busybox_base, cache_dir):
    marker = f"m{uuid.uuid4().hex[:10]}"
    write_tree(str(tmp_path), {"Dockerfile": f'FROM busybox\nCMD ["sh", "-c", "trap \'\' TERM; while :; do sleep 1{marker[:0]}; done; : {marker}"]\n'})
    argv = [sys.executable, "-m", "twelvecheck", "verify", "--run", "--stop-timeout", "30", "--base",
            f"busybox=oci:{busybox_base}", "--cache-dir", cache_dir, str(tmp_path)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=default_sigint)
    deadline = time.monotonic() + 30
    while not _marker_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    running = _marker_processes(marker)
    assert running, "the image never started"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    assert process.wait(20) == 130, process.stderr.read()
    assert "interrupted" in process.stderr.read().decode()
    assert not _marker_processes(marker)


def test_the_sandbox_reaches_no_host_network_files_or_processes(record, tmp_path):
    secret = tmp_path / "host-secret"
    secret.write_text("host only")
    server = socket.socket()
    server.bind(("0.0.0.0", 0))
    server.listen(5)
    server.settimeout(0.1)
    port = server.getsockname()[1]
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.connect(("192.0.2.1", 9))  # no packet is sent: it only picks the outgoing address
    host_ip = probe.getsockname()[0]
    probe.close()
    script = (f"for h in 127.0.0.1 {host_ip}; do nc -w 1 $h {port} </dev/null && echo reached $h || echo "
              f"no-net $h; done; cat {secret} 2>/dev/null && echo read-host || echo no-file; "
              "echo procs $(ls -d /proc/[0-9]* | wc -l); ip -o link 2>/dev/null | wc -l; " + LOOP)
    rec = record("FROM busybox\nCMD " + json.dumps(["sh", "-c", script]) + "\n", start_timeout=5)
    output = "\n".join(rec.tail)
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()
    assert "reached" not in output and f"no-net {host_ip}" in output and "no-net 127.0.0.1" in output
    assert "no-file" in output and "read-host" not in output
    count = int(output.split("procs ")[1].split()[0])
    assert count < 10, output  # only the container's own processes (the host has hundreds)


# -- reports ------------------------------------------------------------------------------------------

def test_scorecard_json_and_html_show_what_the_run_proved(run_verify):
    from twelvecheck.report import html_format

    good = run_verify(f'FROM busybox\nEXPOSE 8080\nCMD ["sh", "-c", "httpd -p 8080; {LOOP}"]\n')
    ix = good.factors["IX"]
    assert ix["status"] == "pass" and ix["explanation"].startswith("proven at run time: ready in ")
    assert "after SIGTERM" in ix["explanation"] and good.factors["VII"]["run"] == "listens on tcp 8080 as declared"
    data_ = good.as_json()["run"]
    assert [item["event"] for item in data_["timeline"]] == ["start", "ready", "SIGTERM", "exited 0"]
    assert data_["listening"][0]["port"] == 8080 and data_["ready_seconds"] < data_["timeline"][2]["seconds"]
    page = html_format.render(good)
    assert 'id="run"' in page and page.count('class="run-event"') == 4 and "tcp :::8080" in page.replace("[::]", "::")
    bad = run_verify('FROM busybox\nCMD ["sh", "-c", "trap \'\' TERM; while :; do sleep 0.1; done"]\n')
    assert bad.factors["IX"]["status"] == "fail" and "IM011" in bad.factors["IX"]["codes"]


def test_a_non_root_user_runs_under_runc_with_its_uid(record):
    rec = record(f'FROM busybox\nUSER 1000:1000\nEXPOSE 8080\nCMD ["sh", "-c", "id; httpd -p 8080; {LOOP}"]\n')
    assert rec.runtime == "runc" and any("uid=1000 gid=1000" in line for line in rec.tail)
    assert rec.ready is not None and [item.port for item in rec.listeners] == [8080] and rec.status == 0


def test_ready_when_the_healthcheck_passes(record):
    rec = record('FROM busybox\nHEALTHCHECK CMD test -f /tmp/ready\n'
                 f'CMD ["sh", "-c", "sleep 0.5; touch /tmp/ready; {LOOP}"]\n')
    assert rec.ready_how == "the HEALTHCHECK passes" and 0.5 <= rec.ready < 3
    assert rec.runtime == "runc" and rec.stop_seconds < 1.0


def test_exec_format_error_is_a_finding(run_verify):
    files = {"Dockerfile": 'FROM busybox\nCOPY --chmod=0755 server /server\nCMD ["/server"]\n',
             "server": "\x7fELF not really an executable\n"}
    (finding,) = found(run_verify(files, ["IM010"]), "IM010")
    assert data(finding)["value"] not in (0, None) and finding.span.line == 3
    # bwrap execs through execvp, which hands a file the kernel will not run to /bin/sh (status 127)
    assert data(finding)["value"] == 127 and any("/server" in line for line in data(finding)["output"])


def test_an_image_built_elsewhere_is_run_too(tmp_path, busybox_base, cache_dir):
    context = tmp_path / "ctx"
    write_tree(str(context), {"Dockerfile": 'FROM busybox\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8081"]\n'})
    layout = tmp_path / "layout"
    builder.build(str(context), str(context / "Dockerfile"), bases={"busybox": f"oci:{busybox_base}"},
                  cache_dir=cache_dir, output=f"oci:{layout}", tag="t", progress=lambda line: None)
    report = verify(str(context), config=Config(select=("IM012",)), image=f"oci:{layout}", cache_dir=cache_dir,
                    run=runtime.RunOptions(grace=GRACE))
    (finding,) = found(report, "IM012")
    assert data(finding)["value"] == [8081] and report.run["listening"][0]["port"] == 8081


def test_a_supervisor_started_through_its_script_line(run_verify):
    supervisord = f"#!/bin/sh\nhttpd -p 8080\n{LOOP}\n"
    files = {"Dockerfile": 'FROM busybox\nCOPY --chmod=0755 supervisord /usr/bin/supervisord\n'
                           'CMD ["/usr/bin/supervisord", "-n"]\n', "supervisord": supervisord}
    (finding,) = found(run_verify(files, ["IM015"]), "IM015")
    assert "process supervisor (supervisord, pid 1)" in finding.message
    assert data(finding)["value"] == ["/bin/sh", "/usr/bin/supervisord", "-n"]


def test_bytecode_caches_are_not_state(run_verify):
    command = (f'CMD ["sh", "-c", "mkdir -p /app/__pycache__; echo x > /app/__pycache__/m.cpython-312.pyc; '
               f'{LOOP}"]\n')
    assert not found(run_verify("FROM busybox\n" + command, ["IM014"]), "IM014")


def test_udp_ports_are_compared_too(run_verify):
    # busybox has no UDP server to make the good twin with; recorder's UDP table parsing is the
    # same code path as TCP's.
    unserved = f'FROM busybox\nEXPOSE 5353/udp\nCMD ["sh", "-c", "{LOOP}"]\n'
    (finding,) = found(run_verify(unserved, ["IM012"]), "IM012")
    assert data(finding)["port"] == 5353 and "5353/udp" in finding.message


def test_recorder_reads_udp_and_ipv6_sockets_of_a_namespace():
    from twelvecheck.build import recorder

    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    tcp6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    tcp6.bind(("::1", 0))
    tcp6.listen(1)
    try:
        found = {(item.proto, item.address, item.port) for item in recorder.listeners(os.getpid())}
        assert ("udp", "127.0.0.1", udp.getsockname()[1]) in found
        assert ("tcp", "::1", tcp6.getsockname()[1]) in found
        owned = recorder.owners(recorder.listeners(os.getpid()), recorder.process_tree(os.getpid()))
        assert any(item.port == udp.getsockname()[1] and item.argv for item in owned)
    finally:
        udp.close()
        tcp6.close()
