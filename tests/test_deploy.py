"""The files that run Zhiban as a company deployment (issue 16, point 5: ``deploy/``,
``docs/deploy.md``): Zhiban installs from a folder of wheels with no index, the settings of
``deploy/zhiban.env.example`` pass Django's deploy check, the systemd units verify, are
confined and run commands Zhiban knows, nginx serves the static files and passes pages,
gateways and websockets over TLS, and Mosquitto runs the broker file with the limits of
ADR 0008 and its accounts."""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import queue
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import paho.mqtt.client as paho
import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from websockets.sync.client import connect

from zhiban import __version__
from zhiban.alarms.http_gateway import EventsGateway
from zhiban.service.cti_gateway import CallsGateway

from .broker import ADR_0008, MOSQUITTO
from .fresh import ZHIBAN, free_port, fresh_env, stop, zhiban

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
NGINX = "/usr/sbin/nginx"
ADMIN_PASSWORD = "Deploy#check-2026"


def example_env() -> dict[str, str]:
    """The settings ``deploy/zhiban.env.example`` sets (its lines that are not comments)."""
    lines = (DEPLOY / "zhiban.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and line[0] != "#")


def run(*args, **options) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=300, **options
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        assert process.poll() is None, log.read_text() if log.exists() else "exited"
        assert time.monotonic() < deadline, f"nothing listens on {port} after 30 s"
        time.sleep(0.05)


# --- a folder of wheels, installed with no index ---------------------------------------------

INSTALLED = """
import importlib.metadata, json, zhiban
from django.template.loader import get_template
from django.utils import translation
translation.activate("zh-hans")
print(json.dumps({
    "module": zhiban.__file__,
    "version": importlib.metadata.version("zhiban"),
    "name": translation.gettext("Zhiban"),
    "login": get_template("login.html").origin.name,
}))
"""


def test_zhiban_installs_from_a_folder_of_wheels_with_no_index__issue_16(tmp_path):
    """docs/deploy.md: the wheels built once where there is internet (``pip wheel -w wheels
    .``) install Zhiban into a new venv with no index at all (no pip configuration either),
    and the installed Zhiban runs: its checks, templates, Chinese catalogue and the static
    files nginx serves."""
    project = tmp_path / "zhiban"  # a clean copy: a build/ left in a checkout enters the wheel
    shutil.copytree(
        REPO / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, project / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "-q", "-w", wheels, project)

    offline = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PIP_", "PYTHON", "DJANGO_", "ZHIBAN_"))
        and name not in ("DATABASE_URL", "REDIS_URL")
    }
    offline.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", ZHIBAN_DATA=str(tmp_path / "data"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, env=offline)
    pip = [venv / "bin" / "pip", "install", "-q", "--no-index", "--find-links", wheels]
    run(*pip, "zhiban", env=offline, cwd=tmp_path)

    installed = venv / "bin" / "zhiban"
    run(installed, "check", env=offline, cwd=tmp_path)
    run(installed, "collectstatic", "--noinput", "-v", "0", env=offline, cwd=tmp_path)
    htmx = "vendor/htmx/htmx.min.js"
    collected = tmp_path / "data" / "static" / htmx
    assert collected.read_bytes() == (REPO / "src/zhiban/static" / htmx).read_bytes()
    said = run(installed, "shell", "-v", "0", "-c", INSTALLED, env=offline, cwd=tmp_path)
    found = json.loads(said.stdout)
    assert found["module"].startswith(str(venv)) and found["login"].startswith(str(venv))
    assert found["version"] == __version__ and found["name"] == "值班"


# --- the settings ----------------------------------------------------------------------------


def example_process_env(tmp_path, **changes) -> dict[str, str]:
    env = {**os.environ, **example_env(), "DJANGO_SETTINGS_MODULE": "zhiban.settings"}
    return {**env, "ZHIBAN_DATA": str(tmp_path), **changes}


def test_the_example_settings_pass_the_deploy_check__issue_16(tmp_path):
    """``zhiban check --deploy`` finds nothing to warn of in the example's settings once the
    secret key is a real one; the placeholder key itself is refused (security.W009)."""
    real = example_process_env(tmp_path, ZHIBAN_SECRET_KEY=secrets.token_urlsafe(64))
    checked = zhiban(real, "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    placeholder = zhiban(
        example_process_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert placeholder.returncode == 1 and "security.W009" in placeholder.stderr


def test_the_example_names_every_setting__issue_16():
    """Every environment variable settings.py reads is in the example, set or commented."""
    source = (REPO / "src/zhiban/settings.py").read_text()
    read = set(re.findall(r'(?:env_\w+|_kept_key|_syslog_address)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    example = (DEPLOY / "zhiban.env.example").read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.M))
    assert len(read) > 30 and read <= named, sorted(read - named)


# --- systemd ---------------------------------------------------------------------------------

INSTANCES = {"zhiban-web@.service": "8001", "zhiban-mqtt@.service": "0"}


def unit_names() -> list[str]:
    names = [p.name for p in (DEPLOY / "systemd").iterdir() if p.is_file()]
    return sorted(n.replace("@.", f"@{INSTANCES[n]}.") if "@." in n else n for n in names)


@pytest.fixture
def units(tmp_path) -> Path:
    """deploy/systemd in a unit folder of the test's, starting this environment's zhiban."""
    assert Path(sys.prefix, "bin", "zhiban").exists()
    folder = tmp_path / "systemd"
    shutil.copytree(DEPLOY / "systemd", folder)
    for unit in folder.glob("*.service"):
        unit.write_text(unit.read_text().replace("/opt/zhiban/venv", sys.prefix))
    return folder


def test_the_systemd_units_verify_and_are_confined__issue_16(units):
    """``systemd-analyze verify`` has nothing to say of any unit (with the shared drop-in of
    zhiban-.service.d), and each service is confined: an exposure of 2.0 or less ("OK") in
    ``systemd-analyze security``; without the drop-in it is 9.6, "UNSAFE"."""
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{units}:"}
    names = unit_names()
    assert len(names) == 5, names
    verified = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *names], env=env, capture_output=True, text=True
    )
    assert (verified.returncode, verified.stdout + verified.stderr) == (0, "")
    for name in (n for n in names if n.endswith(".service")):
        exposure = subprocess.run(
            ["systemd-analyze", "security", "--offline=yes", "--threshold=20", name],
            env=env,
            capture_output=True,
            text=True,
        )
        assert exposure.returncode == 0, exposure.stdout.splitlines()[-1:]


def test_every_unit_runs_a_zhiban_command_with_options_it_knows__issue_16():
    """Each ExecStart is /opt/zhiban/venv/bin/zhiban with a command and options Zhiban's own
    parser takes (a renamed option would stop the unit at every start)."""
    commands = get_commands()
    started = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        text = unit.read_text().replace("%i", INSTANCES.get(unit.name, ""))
        for line in re.findall(r"^ExecStart=(.+)$", text, re.M):
            program, name, *options = line.split()
            assert program == "/opt/zhiban/venv/bin/zhiban", line
            parser = load_command_class(commands[name], name).create_parser("zhiban", name)
            parser.parse_args(options)  # CommandError if it does not know them
            started.append(name)
    assert sorted(started) == ["collectstatic", "ingest", "migrate", "serve", "worker"]


# --- nginx -----------------------------------------------------------------------------------

NGINX_MAIN = """user {user} {group};
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/zhiban.conf;
}}
"""


def nginx_site(folder: Path, *, http: int, https: int, upstream: int, static: Path) -> Path:
    """deploy/nginx/zhiban.conf with the test's ports, certificate (for localhost), upstream,
    static folder and logs, in an nginx.conf of its own; returns that."""
    run(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", folder / "key.pem", "-out", folder / "cert.pem",
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "zhiban.conf").read_text()
    for old, new in [
        ("listen 80;", f"listen {http};"),
        ("listen [::]:80;", f"listen [::]:{http};"),
        ("listen 443 ", f"listen {https} "),
        ("listen [::]:443 ", f"listen [::]:{https} "),
        ("/etc/ssl/zhiban/fullchain.pem", f"{folder}/cert.pem"),
        ("/etc/ssl/zhiban/privkey.pem", f"{folder}/key.pem"),
        ("/var/lib/zhiban/static/", f"{static}/"),
        ("/var/log/nginx/", f"{folder}/"),
        ("zhiban.example.com", "localhost"),
        ("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstream};"),
        ("server 127.0.0.1:8002;\n", ""),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    (folder / "zhiban.conf").write_text(site)
    user, group = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
    main = folder / "nginx.conf"
    main.write_text(NGINX_MAIN.format(user=user, group=group, folder=folder))
    return main


def nginx(main: Path, *args: str) -> list[str]:
    folder = main.parent
    return [NGINX, "-p", f"{folder}/", "-c", str(main), "-e", f"{folder}/error.log", *args]


@dataclass(frozen=True)
class Proxied:
    folder: Path  # nginx's: its configuration, certificate and logs
    http: int
    https: int
    upstream: int  # the web process's port
    data: Path  # Zhiban's data folder

    @property
    def origin(self) -> str:
        return f"https://localhost:{self.https}"

    def client(self, **options) -> httpx.Client:
        """An HTTPS client through nginx that trusts the test's certificate."""
        context = ssl.create_default_context(cafile=self.folder / "cert.pem")
        return httpx.Client(base_url=self.origin, verify=context, **options)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """A Zhiban with the example's settings (its host name made localhost), its first
    administrator and collected static files, served as zhiban-web@.service does, behind
    deploy/nginx/zhiban.conf."""
    folder = tmp_path_factory.mktemp("nginx")
    http, https, upstream = free_port(), free_port(), free_port()
    site_url = f"https://localhost:{https}"
    own = ("DATABASE_URL", "REDIS_URL", "ZHIBAN_DATA", "ZHIBAN_MQTT_URL")  # the test's
    example = {
        name: value.replace("https://zhiban.example.com", site_url).replace(
            "zhiban.example.com", "localhost"
        )
        for name, value in example_env().items()
        if name not in own
    }
    example.update(ZHIBAN_SECRET_KEY=secrets.token_urlsafe(64), ZHIBAN_AUDIT_KEY="deploy-test")
    with fresh_env(start="migrated", **example) as env, contextlib.ExitStack() as running:
        data = Path(env["ZHIBAN_DATA"])
        admin = ("createsuperuser", "--noinput", "--username", "admin", "--name", "管理员")
        made = zhiban({**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD}, *admin)
        collected = zhiban(env, "collectstatic", "--noinput", "-v", "0")
        for done in (made, collected):
            assert done.returncode == 0, done.stdout + done.stderr
        main = nginx_site(folder, http=http, https=https, upstream=upstream, static=data / "static")
        serve = ("serve", "--no-worker", "--host", "127.0.0.1", "--port", str(upstream))
        with open(data / "serve.log", "w") as log:
            web = subprocess.Popen([*ZHIBAN, *serve], env=env, stdout=log, stderr=log)
        running.callback(stop, web)
        proxy = subprocess.Popen(nginx(main, "-g", "daemon off;"))
        running.callback(stop, proxy)
        wait_for_port(https, proxy, folder / "error.log")
        site = Proxied(folder, http, https, upstream, data)
        deadline = time.monotonic() + 90
        with site.client() as browser:
            while browser.get("/healthz").status_code != 200:  # 502 until Zhiban is up
                assert web.poll() is None, (data / "serve.log").read_text()
                assert time.monotonic() < deadline, (data / "serve.log").read_text()
                time.sleep(0.3)
        yield site


def test_nginx_takes_the_site__issue_16(proxied):
    """``nginx -t``: the site's syntax, certificate paths and upstream are accepted."""
    tested = subprocess.run(
        nginx(proxied.folder / "nginx.conf", "-t"), capture_output=True, text=True
    )
    assert tested.returncode == 0 and "test is successful" in tested.stderr, tested.stderr


def test_http_is_sent_to_https__issue_16(proxied):
    with httpx.Client() as plain:
        answer = plain.get(f"http://localhost:{proxied.http}/c/x/?page=2")
    assert answer.status_code == 301
    assert answer.headers["location"] == "https://localhost/c/x/?page=2"


def test_nginx_serves_the_collected_static_files__issue_16(proxied):
    """The files of ``zhiban collectstatic`` come from nginx: one written there after Zhiban
    started (so Zhiban's own static serving does not know it) is served too."""
    probe = proxied.data / "static" / f"deploy-probe-{secrets.token_hex(4)}.txt"
    probe.write_text("served by nginx")
    htmx = "vendor/htmx/htmx.min.js"
    with proxied.client() as browser:
        fresh = browser.get(f"/static/{probe.name}")
        script = browser.get(f"/static/{htmx}")
    assert (fresh.status_code, fresh.text) == (200, "served by nginx")
    assert script.status_code == 200
    assert script.content == (proxied.data / "static" / htmx).read_bytes()
    assert script.headers["cache-control"] == "max-age=60"
    assert script.headers["x-content-type-options"] == "nosniff"


def test_a_login_and_the_live_websocket_pass_the_proxy__issue_16(proxied):
    """The first administrator (``zhiban createsuperuser``) logs in over HTTPS with the
    example's cookie and CSRF settings, and the console's websocket is upgraded through nginx
    and answers with the unread count."""
    with proxied.client() as browser:
        browser.get("/login/")
        posted = browser.post(
            "/login/",
            data={
                "username": "admin",
                "password": ADMIN_PASSWORD,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            headers={"Origin": proxied.origin, "Referer": f"{proxied.origin}/login/"},
        )
        session = browser.cookies["sessionid"]
    assert posted.status_code == 302, posted.text[:500]
    context = ssl.create_default_context(cafile=proxied.folder / "cert.pem")
    with connect(
        f"wss://localhost:{proxied.https}/ws/live/",
        ssl=context,
        origin=proxied.origin,
        additional_headers={"Cookie": f"sessionid={session}"},
    ) as live:
        assert json.loads(live.recv(timeout=15))["kind"] == "unread"


def test_request_ids_pass_both_ways__issue_16(proxied):
    """A client's X-Request-ID reaches Zhiban and comes back; without one, nginx's id is
    Zhiban's too and ends the access log's line (no query string in it)."""
    with proxied.client() as browser:
        given = browser.get("/healthz", headers={"X-Request-ID": "deploy-test-0001"})
        made = browser.get("/healthz?token=secret")
    assert given.headers["x-request-id"] == "deploy-test-0001"
    request_id = made.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id
    [line] = [
        line
        for line in (proxied.folder / "zhiban.access.log").read_text().splitlines()
        if line.endswith(request_id)
    ]
    assert '"GET /healthz HTTP/' in line and "secret" not in line


def test_readyz_and_metrics_answer_the_monitoring_network_only__issue_16(proxied):
    """From outside the allowed networks nginx refuses /readyz and /metrics (403); from
    inside, they answer as Zhiban itself does."""
    context = ssl.create_default_context(cafile=proxied.folder / "cert.pem")
    outside = httpx.HTTPTransport(verify=context, local_address="127.0.0.2")
    address = f"https://127.0.0.1:{proxied.https}"
    forwarded = {"Host": "localhost", "X-Forwarded-Proto": "https"}  # as nginx says
    for path in ("/readyz", "/metrics"):
        with httpx.Client(transport=outside, base_url=address) as stranger:
            assert stranger.get(path, headers={"Host": "localhost"}).status_code == 403
        with proxied.client() as monitor, httpx.Client() as direct:
            own = direct.get(f"http://127.0.0.1:{proxied.upstream}{path}", headers=forwarded)
            assert monitor.get(path).status_code == own.status_code != 403


def test_the_gateways_take_bodies_up_to_the_apps_limit__issue_16(proxied):
    """POST /api/events and /api/service/calls: nginx passes a body of Django's limit (20 MB,
    DATA_UPLOAD_MAX_MEMORY_SIZE; beyond the grouped gateways' 2 MB and 64 KB Django still
    takes it) to Zhiban, which asks for a token (401), and refuses one byte more itself
    (413)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    headers = {"Content-Type": "application/json"}
    with proxied.client(timeout=60) as gateway:
        for path in ("/api/events", "/api/service/calls"):
            taken = gateway.post(path, content=b" " * limit, headers=headers)
            refused = gateway.post(path, content=b" " * (limit + 1), headers=headers)
            assert (path, taken.status_code, refused.status_code) == (path, 401, 413)


def test_the_gateway_locations_buffer_what_the_grouped_gateways_take__issue_16():
    """nginx keeps in memory a body the grouped gateways answer themselves (ADR 0009, 0014)."""
    site = (DEPLOY / "nginx" / "zhiban.conf").read_text()
    for gateway in (EventsGateway, CallsGateway):
        location = re.search(rf"location = {gateway.path} {{([^}}]*)}}", site)
        size = re.search(r"client_body_buffer_size (\d+)([km]);", location.group(1))
        assert int(size.group(1)) * {"k": 1024, "m": 1024**2}[size.group(2)] == gateway.max_body


# --- Mosquitto -------------------------------------------------------------------------------

# Debian 12's /etc/mosquitto/mosquitto.conf with its paths in the test's folder, and "user" to
# keep the broker the test's user (as root it would become "mosquitto", who cannot read them)
DEBIAN_MOSQUITTO = """pid_file {folder}/mosquitto.pid
persistence true
persistence_location {folder}/
log_dest file {folder}/mosquitto.log
include_dir {folder}/conf.d
user {user}
"""
MQTT_PASSWORDS = {"zhiban": secrets.token_hex(8), "gateway": secrets.token_hex(8)}


@pytest.fixture
def deployed_broker(tmp_path):
    """Mosquitto with Debian's main file and deploy/mosquitto/ (zhiban.conf in conf.d, the
    ACL, a password file for its two accounts) on a free port; yields the port."""
    port = free_port()
    (tmp_path / "conf.d").mkdir()
    site = (DEPLOY / "mosquitto" / "zhiban.conf").read_text()
    assert "\nlistener 1883\n" in site
    site = site.replace("\nlistener 1883\n", f"\nlistener {port} 127.0.0.1\n")
    (tmp_path / "conf.d" / "zhiban.conf").write_text(
        site.replace("/etc/mosquitto/", f"{tmp_path}/")
    )
    shutil.copy(DEPLOY / "mosquitto" / "zhiban.acl", tmp_path / "zhiban.acl")
    for user, password in MQTT_PASSWORDS.items():
        create = ["-c"] if user == "zhiban" else []
        run("mosquitto_passwd", *create, "-b", tmp_path / "zhiban.passwd", user, password)
    user = pwd.getpwuid(os.geteuid()).pw_name
    (tmp_path / "mosquitto.conf").write_text(DEBIAN_MOSQUITTO.format(folder=tmp_path, user=user))
    broker = subprocess.Popen(
        [MOSQUITTO, "-c", tmp_path / "mosquitto.conf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, broker, tmp_path / "mosquitto.log")
        yield port
    finally:
        stop(broker)


class Mqtt:
    """A paho MQTT 5 client that records its CONNACK, SUBACK and messages."""

    def __init__(self, port: int, user: str | None):
        self.answers: queue.Queue = queue.Queue()
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
        if user:
            self.client.username_pw_set(user, MQTT_PASSWORDS[user])
        self.client.on_connect = lambda c, u, flags, reason, p: self.answers.put(reason)
        self.client.on_subscribe = lambda c, u, mid, reasons, p: self.answers.put(reasons[0])
        self.client.on_message = lambda c, u, message: self.answers.put(message)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        self.connected = self.answers.get(timeout=10)

    def subscribe(self, topic: str):
        self.client.subscribe(topic, qos=1)
        return self.answers.get(timeout=10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_the_broker_file_keeps_adr_0008s_limits_and_its_accounts__issue_16(deployed_broker):
    """deploy/mosquitto runs under Debian's main file (which names persistence_location
    itself), sets what ADR 0008 asks, refuses anonymous clients, lets a sender publish events
    that the share group of Zhiban's gateways receives and not read them itself, and passes
    ``zhiban doctor``'s check that nothing is dropped for an offline gateway."""
    lines = (DEPLOY / "mosquitto" / "zhiban.conf").read_text().splitlines()
    options = dict(line.split(" ", 1) for line in lines if line.strip() and line[0] != "#")
    assert {name: options.get(name) for name in ADR_0008} == ADR_0008

    anonymous = Mqtt(deployed_broker, None)
    assert anonymous.connected == "Not authorized"
    anonymous.close()
    zhiban_gateway, sender = Mqtt(deployed_broker, "zhiban"), Mqtt(deployed_broker, "gateway")
    try:
        assert (zhiban_gateway.connected, sender.connected) == ("Success", "Success")
        assert zhiban_gateway.subscribe("$share/zhiban/zhiban/events/#") == "Granted QoS 1"
        sender.subscribe("zhiban/events/#")  # granted, but the ACL holds back every message
        sender.client.publish("zhiban/events/suwu-scada", b'{"id": "1"}', qos=1)
        message = zhiban_gateway.answers.get(timeout=10)
        assert (message.topic, message.payload) == ("zhiban/events/suwu-scada", b'{"id": "1"}')
        with pytest.raises(queue.Empty):
            sender.answers.get(timeout=1)
    finally:
        zhiban_gateway.close()
        sender.close()

    url = f"mqtt://zhiban:{MQTT_PASSWORDS['zhiban']}@127.0.0.1:{deployed_broker}"
    with fresh_env(ZHIBAN_MQTT_URL=url) as env:
        doctor = zhiban(env, "doctor")
    [line] = [line for line in doctor.stdout.splitlines() if "mqtt:" in line]
    assert line.startswith("[  ok] mqtt:"), line
    assert "keeps messages for an offline gateway (2000 of 2000)" in line
