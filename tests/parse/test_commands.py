"""The shared argument parsers: one table of real invocations per tool family."""

from __future__ import annotations

import pytest

from twelvecheck.parse.commands import Invocation, parse_invocation
from twelvecheck.parse.commands._options import OptionTable, flag, parse_options, valued
from twelvecheck.parse.shell import Command, parse_script


def invocation(text: str, tool: str | None = None) -> Invocation:
    """The invocation of the last command of ``text`` that a parser recognises (of ``tool``)."""
    found = [parse_invocation(command) for command in parse_script(text)]
    found = [item for item in found if item is not None and tool in (None, item.tool)]
    assert found, text
    return found[-1]


def packages(text: str) -> list[tuple[str, str | None, str | None, bool]]:
    return [(p.name, p.operator, p.version, p.pinned) for p in invocation(text).packages]


# -- the option helper ---------------------------------------------------------------------------

TABLE = OptionTable(flag("yes", "-y", "--yes", "--assume-yes"), flag("quiet", "-q"),
                    valued("option", "-o", "--option"))


@pytest.mark.parametrize("args, options, operands", [
    ("-qqy install x", {"quiet": [None, None], "yes": [None]}, ["install", "x"]),
    ("--assume-yes -o A=1 --option=B=2 -oC=3 x", {"yes": [None], "option": ["A=1", "B=2", "C=3"]},
     ["x"]),
    ("x --yes -- -y", {"yes": [None]}, ["x", "-y"]),
    ("--unknown=1 --other -Z - x", {"unknown": ["1"], "other": [None], "Z": [None]}, ["-", "x"]),
    ("-o", {"option": [None]}, []),
])
def test_option_helper(args: str, options: dict, operands: list[str]) -> None:
    (command,) = parse_script(f"tool {args}").commands
    parsed = parse_options(command.argv[1:], TABLE)
    assert parsed.options == options
    assert [word.value for word in parsed.operands] == operands


# -- apt -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, yes, no_recommends", [
    ("apt-get install -y --no-install-recommends curl", True, True),
    ("apt-get -qq --yes install curl", True, False),
    ("apt-get install --assume-yes -o APT::Install-Recommends=false curl", True, True),
    ("apt-get install -o APT::Get::Assume-Yes=true -o apt::install-recommends=0 curl", True, True),
    ("apt install -qy curl", True, False),
    ("DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install curl", False, False),
    ("sudo apt-get install -y curl", True, False),
])
def test_apt_flags(text: str, yes: bool, no_recommends: bool) -> None:
    apt = invocation(text)
    assert apt.is_install and apt.subcommand == "install"
    assert (apt.assumes_yes, apt.no_install_recommends) == (yes, no_recommends)


def test_apt_packages() -> None:
    text = "apt-get install -y curl=7.88.1-10 git/bookworm-backports ./local.deb $EXTRA python3"
    assert packages(text) == [
        ("curl", "=", "7.88.1-10", True), ("git", "/", "bookworm-backports", False),
        ("./local.deb", None, None, True), ("$EXTRA", None, None, True),
        ("python3", None, None, False)]


@pytest.mark.parametrize("option", ["--allow-unauthenticated", "--force-yes",
                                    "--allow-insecure-repositories",
                                    "-o Acquire::AllowInsecureRepositories=true"])
def test_apt_unauthenticated(option: str) -> None:
    assert invocation(f"apt-get install -y {option} x").allows_unauthenticated


def test_apt_update_has_no_packages() -> None:
    apt = invocation("apt-get update -q")
    assert apt.subcommand == "update" and not apt.is_install and apt.packages == []


# -- apk -----------------------------------------------------------------------------------------

def test_apk() -> None:
    apk = invocation("apk add --no-cache --virtual .build-deps -U gcc=12.2.1-r4 'musl-dev~1.2' "
                     "'openssl>3' bash@edge")
    assert apk.is_install and apk.no_cache and apk.updates_index
    assert apk.virtual == ".build-deps"
    assert [(p.name, p.operator, p.version, p.pinned) for p in apk.packages] == [
        ("gcc", "=", "12.2.1-r4", True), ("musl-dev", "~", "1.2", True),
        ("openssl", ">", "3", False), ("bash", None, None, False)]


def test_apk_short_virtual_and_untrusted() -> None:
    apk = invocation("apk add -t .deps --allow-untrusted /tmp/x.apk")
    assert apk.virtual == ".deps" and apk.allows_untrusted and not apk.no_cache
    assert apk.packages[0].source == "path"


# -- pip -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "pip install --no-cache-dir flask", "pip3 install --no-cache-dir flask",
    "pip3.11 install --no-cache-dir flask", "python -m pip install --no-cache-dir flask",
    "python3.11 -m pip install --no-cache-dir flask", "/usr/local/bin/python3 -u -m pip "
    "--no-cache-dir install flask", "PIP_NO_CACHE_DIR=1 pip install flask",
])
def test_pip_launchers(text: str) -> None:
    pip = invocation(text)
    assert pip.tool == "pip" and pip.is_install and pip.no_cache
    assert [p.name for p in pip.packages] == ["flask"]


def test_python_running_other_code_is_not_pip() -> None:
    assert parse_invocation(parse_script("python3 -m venv /venv").commands[0]) is None
    assert parse_invocation(parse_script("python -c 'import pip'").commands[0]) is None


def test_pip_packages() -> None:
    text = ("pip install 'requests[socks]>=2.31,<3' Django==4.2 'numpy~=1.26' flask . "
            "./wheels/x-1.0-py3-none-any.whl 'pkg @ https://x/pkg.zip' "
            "git+https://github.com/a/b@v1 -e ./src -r requirements.txt -c constraints.txt")
    pip = invocation(text)
    assert [(p.name, p.operator, p.version, p.pinned, p.source) for p in pip.packages] == [
        ("requests", ">=", "2.31,<3", True, "registry"), ("Django", "==", "4.2", True, "registry"),
        ("numpy", "~=", "1.26", True, "registry"), ("flask", None, None, False, "registry"),
        (".", None, None, True, "path"), ("./wheels/x-1.0-py3-none-any.whl", None, None, True,
                                          "path"),
        ("pkg", "@", None, True, "url"),
        ("git+https://github.com/a/b@v1", None, None, True, "vcs"),
        ("./src", None, None, True, "path")]
    assert pip.requirements == ["requirements.txt"] and pip.value("constraint") == "constraints.txt"


@pytest.mark.parametrize("text, insecure", [
    ("pip install --trusted-host pypi.org x", True),
    ("pip install -i http://mirror/simple x", True),
    ("pip install --index-url https://mirror/simple --user --upgrade x", False),
])
def test_pip_tls(text: str, insecure: bool) -> None:
    assert invocation(text).disables_tls_verification is insecure


# -- npm and yarn --------------------------------------------------------------------------------

def test_npm_packages() -> None:
    npm = invocation("npm i -g @angular/cli@17.0.1 typescript@latest left-pad @types/node "
                     "./local-pkg https://x/y.tgz")
    assert npm.subcommand == "install" and npm.is_install and npm.is_global
    assert [(p.name, p.operator, p.version, p.pinned) for p in npm.packages] == [
        ("@angular/cli", "@", "17.0.1", True), ("typescript", "@", "latest", False),
        ("left-pad", None, None, False), ("@types/node", None, None, False),
        ("./local-pkg", None, None, True), ("https://x/y.tgz", None, None, True)]


@pytest.mark.parametrize("text, omits_dev", [
    ("npm ci --production", True), ("npm ci --omit=dev", True), ("npm ci --omit dev", True),
    ("npm install --only=production", True), ("npm ci", False),
    ("npm ci --production=false", False),
])
def test_npm_omits_dev(text: str, omits_dev: bool) -> None:
    assert invocation(text).omits_dev is omits_dev


def test_npm_strict_ssl_and_cache_clean() -> None:
    script = "npm config set x && npm install --strict-ssl=false && npm cache clean --force"
    install, clean = [parse_invocation(c) for c in parse_script(script)][1:]
    assert install.disables_tls_verification
    assert clean.cleans_cache and clean.has("force")


@pytest.mark.parametrize("text, frozen", [
    ("yarn install --frozen-lockfile", True), ("yarn --immutable", True), ("yarn", False),
])
def test_yarn_install(text: str, frozen: bool) -> None:
    yarn = invocation(text)
    assert yarn.is_install and yarn.frozen_lockfile is frozen


def test_yarn_global_add_and_cache() -> None:
    yarn = invocation("yarn global add @vue/cli@5.0.8 serve")
    assert (yarn.subcommand, yarn.is_global) == ("add", True)
    assert [(p.name, p.version, p.pinned) for p in yarn.packages] == [
        ("@vue/cli", "5.0.8", True), ("serve", None, False)]
    assert invocation("yarn cache clean").cleans_cache


# -- gem and go ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, no_document", [
    ("gem install bundler -N", True), ("gem install --no-document bundler", True),
    ("gem install --no-ri --no-rdoc bundler", True), ("gem install --no-ri bundler", False),
])
def test_gem_docs(text: str, no_document: bool) -> None:
    assert invocation(text).no_document is no_document


def test_gem_packages() -> None:
    assert packages("gem install bundler:2.4.22 rake") == [
        ("bundler", ":", "2.4.22", True), ("rake", None, None, False)]
    assert packages("gem install -v 2.4.22 bundler") == [("bundler", "-v", "2.4.22", True)]


def test_go_packages() -> None:
    go = invocation("go install -ldflags '-s -w' -trimpath golang.org/x/tools/gopls@v0.14.2 "
                    "github.com/a/b@latest ./cmd/...")
    assert go.is_install and go.value("ldflags") == "-s -w" and go.has("trimpath")
    assert [(p.name, p.version, p.pinned) for p in go.packages] == [
        ("golang.org/x/tools/gopls", "v0.14.2", True), ("github.com/a/b", "latest", False),
        ("./cmd/...", None, True)]


# -- yum, dnf, microdnf, zypper ------------------------------------------------------------------

@pytest.mark.parametrize("text, yes, nodocs", [
    ("yum install -y httpd-2.4.57", True, False),
    ("dnf --assumeyes --setopt=tsflags=nodocs install httpd", True, True),
    ("microdnf install --nodocs -y httpd", True, True),
    ("yum install httpd", False, False),
])
def test_rpm_family(text: str, yes: bool, nodocs: bool) -> None:
    rpm = invocation(text)
    assert rpm.is_install and (rpm.assumes_yes, rpm.no_docs) == (yes, nodocs)


def test_rpm_packages_and_gpg() -> None:
    rpm = invocation("dnf install -y --nogpgcheck python3-pip-21.3.1-1.el9 nginx @development "
                     "https://x/y.rpm")
    assert rpm.disables_gpg_check
    assert [(p.name, p.version, p.pinned) for p in rpm.packages] == [
        ("python3-pip", "21.3.1-1.el9", True), ("nginx", None, False),
        ("@development", None, True), ("https://x/y.rpm", None, True)]
    assert invocation("yum clean all").cleans_cache


def test_zypper() -> None:
    zypper = invocation("zypper -n --no-gpg-checks in curl=8.0.1 'git>=2'")
    assert zypper.is_install and zypper.assumes_yes and zypper.disables_gpg_check
    assert [(p.name, p.operator, p.pinned) for p in zypper.packages] == [
        ("curl", "=", True), ("git", ">=", False)]
    assert invocation("zypper install -y vim").assumes_yes
    assert invocation("zypper cc -a").cleans_cache
    assert invocation("zypper ref").subcommand == "refresh"


# -- curl and wget -------------------------------------------------------------------------------

def test_curl_pipe_to_shell() -> None:
    script = parse_script("curl -fsSL --retry 3 -H 'Accept: x' https://get.example.sh | sh")
    curl = parse_invocation(script.commands[0])
    assert curl.urls == ["https://get.example.sh"] and curl.value("retry") == "3"
    assert curl.fails_on_http_error and curl.follows_redirects and curl.writes_stdout
    assert curl.command.pipe_position == 0 and curl.command.pipeline_length == 2


@pytest.mark.parametrize("text, insecure, output", [
    ("curl -kLo /tmp/x https://x", True, "/tmp/x"),
    ("curl --insecure -O https://x/a.tgz", True, None),
    ("curl -sS --proto '=https' --output=/a https://x", False, "/a"),
])
def test_curl_options(text: str, insecure: bool, output: str | None) -> None:
    curl = invocation(text)
    assert (curl.disables_tls_verification, curl.output) == (insecure, output)
    assert not curl.writes_stdout


@pytest.mark.parametrize("text, insecure, output, urls", [
    ("wget -q --no-check-certificate -O /tmp/a.tgz https://x/a.tgz", True, "/tmp/a.tgz",
     ["https://x/a.tgz"]),
    ("wget -nv -O- https://x | tar xz", False, "-", ["https://x"]),
    ("wget -e check_certificate=off --progress=dot:giga https://x", True, None, ["https://x"]),
])
def test_wget(text: str, insecure: bool, output: str | None, urls: list[str]) -> None:
    wget = invocation(text, "wget")
    assert (wget.disables_tls_verification, wget.output, wget.urls) == (insecure, output, urls)


def test_other_commands_have_no_invocation() -> None:
    assert all(parse_invocation(c) is None for c in parse_script("echo x; ls -l; make install"))
    assert parse_invocation(Command((), (), (), 0, 0)) is None


# -- pacman and emerge ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, installs, wanted", [
    ("pacman -Syu --noconfirm --needed cronie supervisor", True,
     [("cronie", None, None, False), ("supervisor", None, None, False)]),
    ("pacman -S --overwrite '*' --noconfirm extra/rsyslog", True, [("rsyslog", None, None, False)]),
    ("pacman -U /tmp/app-1.0-1-x86_64.pkg.tar.zst", True, [("/tmp/app-1.0-1-x86_64.pkg.tar.zst", None, None, True)]),
    ("pacman -Ss cron", False, []),
    ("pacman -Scc --noconfirm", False, []),
    ("pacman -Rns --noconfirm cronie", False, []),
    ("pacman -Sy", False, []),
    ("emerge --quiet --oneshot sys-process/cronie", True, [("cronie", None, None, False)]),
    ("emerge -j 4 =app-admin/syslog-ng-4.7.1 '>=dev-lang/python-3.12:3.12' @world", True,
     [("syslog-ng", "=", "4.7.1", True), ("python", ">=", "3.12", True)]),
    ("emerge --sync", False, []),
    ("emerge -C sys-process/cronie", False, []),
])
def test_pacman_and_emerge(text, installs, wanted):
    found = invocation(text)
    assert found.is_install is installs
    assert packages(text) == wanted
