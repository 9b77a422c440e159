"""The deployment descriptions: compose.yaml, deploy/k8s/, nginx's config, Dockerfile.

Nothing is started: the files are parsed and checked against the project itself (the
README's settings, the command lines' own parsers, the services' names and ports), so
that a typo, a lost variable or a route to Rasa's HTTP API fails here.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import inspect
import io
import re
import shlex
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
K8S = ROOT / "deploy" / "k8s"
NGINX = ROOT / "deploy" / "nginx" / "compose.conf"
DOCKERFILE = ROOT / "Dockerfile"
README = ROOT / "README.md"
DEPLOY_README = ROOT / "deploy" / "README.md"
SECRET_TEMPLATE = K8S / "secret.example.yaml"

# The Python services, in both descriptions (a Job for migrate in Kubernetes).
SERVICES = ("migrate", "actions", "rasa", "dispatcher", "console", "web")
# Rasa's command line with the assistant's logs (channels/rasa_server.py).
RASA_SERVER = ["python", "-m", "channels.rasa_server"]
# How each service's command starts; rasa's then execs `rasa run`.
ENTRY = {
    "migrate": ["python", "-m", "bot", "migrate"],
    "seed": ["python", "-m", "bot", "seed"],
    "actions": ["python", "-m", "actions.server"],
    "rasa": ["python", "-m", "channels", "--out"],
    "dispatcher": ["python", "-m", "bot", "dispatch"],
    "console": ["python", "-m", "console"],
    "web": ["python", "scripts/serve_web.py"],
}
# What each service reads from its environment to work in production.
NEEDS = {
    "migrate": {"DATABASE_URL"},
    "actions": {
        "DATABASE_URL",
        "BOT_SECRET_KEY",
        "ACTION_SERVER_TOKEN",
        "SANIC_HOST",
        "CUSTOMER_AREA_URL",
        "SUPPORT_HOURS",
        "LOG_FORMAT",
    },
    "rasa": {
        "ACTION_SERVER_URL",
        "ACTION_SERVER_TOKEN",
        "RASA_JWT_SECRET",
        "TRACKER_STORE_URL",
        "LOCK_STORE_URL",
        "DATABASE_URL",
        "LOG_FORMAT",
    },
    "dispatcher": {
        "DATABASE_URL",
        "SMS_PROVIDER",
        "SMS_HTTP_URL",
        "SMS_HTTP_TOKEN",
        "EMAIL_PROVIDER",
        "SMTP_HOST",
        "LOG_FORMAT",
    },
    "console": {
        "DATABASE_URL",
        "RASA_API_URL",
        "RASA_JWT_SECRET",
        "BOT_SECRET_KEY",
        "SUPPORT_HOURS",
        "LOG_FORMAT",
    },
    "web": {"RASA_URL"},
}
# The modules whose `main` parses each `python -m` command line.
MAINS = {
    "bot": "bot.cli",
    "channels": "channels.__main__",
    "console": "console.__main__",
    "actions.server": "actions.server",
}
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|_SID$|_KEY$")
# `${NAME:?message}` (required) or `${NAME:-}` (optional, empty): never a literal.
SECRET_REFERENCE = re.compile(r"\$\{[A-Z][A-Z0-9_]*(:\?[^}]*|:-)?\}")
REQUIRED_SECRETS = (
    "POSTGRES_PASSWORD",
    "ACTION_SERVER_TOKEN",
    "RASA_JWT_SECRET",
    "BOT_SECRET_KEY",
)
INTERPOLATION = re.compile(r"(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)")
USERINFO_PASSWORD = re.compile(r"://[^/@:]*:([^@]*)@")
# Paths of Rasa's HTTP API and REST channel no public route may reach.
RASA_INTERNAL_PATHS = (
    "/conversations/abc/tracker",
    "/conversations/abc/messages",
    "/conversations/abc/trigger_intent",
    "/model",
    "/model/parse",
    "/status",
    "/version",
    "/domain",
    "/webhooks/rest/webhook",
)
CONNECTOR_PATHS = (
    "/webhooks/twilio_signed/webhook",
    "/webhooks/telegram_secret/webhook",
    "/webhooks/messenger_signed/webhook",
)
PAGE_PATHS = ("/", "/config.js", "/vendor/rasa-webchat.js", "/css/site.css")


# --- loading -------------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@cache
def k8s_documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    """(file name, document) of every manifest, several per file allowed."""
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                documents.append((path.name, document))
    return tuple(documents)


def k8s(kind: str) -> dict[str, dict[str, Any]]:
    return {
        doc["metadata"]["name"]: doc
        for _, doc in k8s_documents()
        if doc["kind"] == kind
    }


def documented(readme: Path, section: str | None = None) -> set[str]:
    """The backticked upper-case names in the tables of a README (or of a section)."""
    text = readme.read_text(encoding="utf-8")
    if section is not None:
        text = re.split(r"\n## ", text.split(f"\n## {section}\n", 1)[1], maxsplit=1)[0]
    rows = (line for line in text.splitlines() if line.startswith("|"))
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def compose_services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def compose_image() -> str:
    return compose_services()["migrate"]["image"]


def compose_environment(service: str) -> dict[str, str]:
    environment = compose_services()[service].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {
        name: "" if value is None else str(value) for name, value in environment.items()
    }


def workload(name: str) -> dict[str, Any]:
    """The Deployment of a service, or the Job of the migrations."""
    if name == "migrate":
        return k8s("Job")["assistant-migrate"]
    return k8s("Deployment")[name]


def container(name: str) -> dict[str, Any]:
    containers = workload(name)["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{name}: one container expected"
    return containers[0]


def k8s_environment(name: str) -> set[str]:
    """Every variable a service's container gets: env, and envFrom's whole objects."""
    spec = container(name)
    names = {item["name"] for item in spec.get("env", [])}
    for source in spec.get("envFrom", []):
        if "configMapRef" in source:
            names |= set(k8s("ConfigMap")[source["configMapRef"]["name"]]["data"])
        if "secretRef" in source:
            names |= set(k8s("Secret")[source["secretRef"]["name"]]["stringData"])
    return names


def commands(argv: list[str] | str) -> list[list[str]]:
    """The programs a container command runs (an `sh -c` script split on `&&`)."""
    argv = shlex.split(argv) if isinstance(argv, str) else list(argv)
    if argv[:2] != ["sh", "-c"]:
        return [argv]
    steps = [shlex.split(step) for step in argv[2].replace("$$", "$").split("&&")]
    return [step[1:] if step[0] == "exec" else step for step in steps]


def compose_commands(service: str) -> list[list[str]]:
    return commands(compose_services()[service]["command"])


def k8s_commands(service: str) -> list[list[str]]:
    spec = container(service)
    return commands(list(spec.get("command", [])) + list(spec.get("args", [])))


def interpolated(value: str) -> str:
    """A compose value with each `${NAME:-default}` as its default, others as "x"."""
    return re.sub(
        r"\$\{[A-Za-z0-9_]+(?::-([^}]*)|:\?[^}]*)?\}",
        lambda match: match[1] if match[1] is not None else "x",
        value,
    )


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


class Parsed(Exception):
    """Raised in place of returning from `parse_args`: the command line was accepted."""

    def __init__(self, namespace: argparse.Namespace) -> None:
        super().__init__()
        self.namespace = namespace


def parse(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> argparse.Namespace:
    """Parse a service's command line with its program's own parser, running nothing."""
    rasa = argv[:3] == RASA_SERVER or argv[0] == "rasa"
    if rasa:
        from rasa.__main__ import create_argument_parser

        skip = 3 if argv[:3] == RASA_SERVER else 1
        main, args = create_argument_parser().parse_args, argv[skip:]
    elif argv[0] == "python" and argv[1] == "-m":
        assert argv[2] in MAINS, f"no parser known for `python -m {argv[2]}`: see MAINS"
        main, args = importlib.import_module(MAINS[argv[2]]).main, argv[3:]
    elif argv[0] == "python":
        spec = importlib.util.spec_from_file_location("deploy_script", ROOT / argv[1])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        main, args = module.main, argv[2:]
    else:
        raise AssertionError(f"unknown program: {argv}")
    original = argparse.ArgumentParser.parse_args

    def stop(self, args=None, namespace=None):
        raise Parsed(original(self, args, namespace))

    errors = io.StringIO()
    with monkeypatch.context() as patch, contextlib.redirect_stderr(errors):
        patch.setattr(sys, "argv", [argv[0], *args])
        try:
            if rasa:
                return main(args)
            patch.setattr(argparse.ArgumentParser, "parse_args", stop)
            main(args) if inspect.signature(main).parameters else main()
        except Parsed as parsed:
            return parsed.namespace
        except SystemExit:
            raise AssertionError(
                f"{shlex.join(argv)} refused: {errors.getvalue().strip()}"
            ) from None
    raise AssertionError(f"{shlex.join(argv)}: its main() parsed no command line")


def memory_bytes(quantity: str) -> int:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi)?", str(quantity))
    assert match, f"unexpected memory quantity {quantity!r}"
    return int(match[1]) * units.get(match[2] or "", 1)


# --- nginx ---------------------------------------------------------------------


def nginx_blocks(text: str) -> list[tuple[list[str], Any]]:
    """nginx's config as [(directive and arguments, inner blocks or None)]."""
    text = re.sub(r"#[^\n]*", "", text)
    tokens = iter(re.findall(r"'[^']*'|\"[^\"]*\"|[{};]|[^\s{};]+", text))

    def block() -> list[tuple[list[str], Any]]:
        items, words = [], []
        for token in tokens:
            if token == ";":
                items.append((words, None))
                words = []
            elif token == "{":
                items.append((words, block()))
                words = []
            elif token == "}":
                return items
            else:
                words.append(token)
        return items

    return block()


def nginx_servers() -> dict[str, list]:
    """Each server block by its listen port; upstream blocks under 'upstreams'."""
    http = nginx_blocks(NGINX.read_text(encoding="utf-8"))
    servers: dict[str, Any] = {"upstreams": {}}
    for words, inner in http:
        if words[0] == "upstream":
            servers["upstreams"][words[1]] = [
                w[1] for w, _ in inner if w[0] == "server"
            ]
            servers["upstreams"][words[1] + " directives"] = [w for w, _ in inner]
        if words[0] == "server":
            port = next(w[1] for w, _ in inner if w[0] == "listen")
            servers[port] = inner
    return servers


def nginx_route(server: list, path: str) -> list[tuple[list[str], Any]]:
    """The directives of the location nginx picks for `path` (its matching order)."""
    locations = []
    for words, inner in server:
        if words[0] == "location":
            modifier, pattern = (
                (words[1], words[2]) if len(words) == 3 else ("", words[1])
            )
            locations.append((modifier, pattern, inner))
    for modifier, pattern, inner in locations:
        if modifier == "=" and pattern == path:
            return inner
    prefixes = [
        loc for loc in locations if loc[0] in ("", "^~") and path.startswith(loc[1])
    ]
    best = max(prefixes, key=lambda loc: len(loc[1]), default=None)
    if best is not None and best[0] == "^~":
        return best[2]
    for modifier, pattern, inner in locations:
        flags = re.IGNORECASE if modifier == "~*" else 0
        if modifier in ("~", "~*") and re.search(pattern, path, flags):
            return inner
    assert best is not None, f"no location for {path}"
    return best[2]


def nginx_target(servers: dict, location: list) -> tuple[str, ...]:
    """('return', code) or the host:port servers a location proxies to."""
    for words, _ in location:
        if words[0] == "return":
            return ("return", words[1])
        if words[0] == "proxy_pass":
            name = urlsplit(words[1]).netloc
            return tuple(servers["upstreams"].get(name, [name]))
    raise AssertionError(f"location neither proxies nor returns: {location}")


# --- Ingress -------------------------------------------------------------------


def ingress_routes(ingress_class: str) -> list[tuple[str, str, str]]:
    """(path, pathType, backend service) of every Ingress of one class."""
    routes = []
    for ingress in k8s("Ingress").values():
        if ingress["spec"].get("ingressClassName") != ingress_class:
            continue
        for rule in ingress["spec"]["rules"]:
            for item in rule["http"]["paths"]:
                service = item["backend"]["service"]["name"]
                routes.append((item["path"], item["pathType"], service))
    return routes


def ingress_backend(routes: list[tuple[str, str, str]], path: str) -> str | None:
    """The service an Ingress sends `path` to: exact, then the longest prefix."""
    for route, kind, service in routes:
        if kind == "Exact" and route == path:
            return service
    matching = [
        (route, service)
        for route, kind, service in routes
        if kind in ("Prefix", "ImplementationSpecific")
        and (route == "/" or path == route or path.startswith(route.rstrip("/") + "/"))
    ]
    return max(matching, key=lambda item: len(item[0]))[1] if matching else None


def public_ingress_class() -> str:
    classes = {
        ingress["spec"].get("ingressClassName")
        for ingress in k8s("Ingress").values()
        for rule in ingress["spec"]["rules"]
        for item in rule["http"]["paths"]
        if item["path"].startswith("/socket.io")
    }
    assert len(classes) == 1, f"socket.io in several ingress classes: {classes}"
    return classes.pop()


# --- Dockerfile ----------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = (line.strip() for line in text.splitlines())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    start = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[start:]


def copied_paths() -> list[str]:
    """The sources of the final stage's COPY from the build context."""
    paths = []
    for name, rest in final_stage():
        if name == "COPY" and "--from" not in rest:
            sources = [w for w in shlex.split(rest)[:-1] if not w.startswith("--")]
            paths += [source.rstrip("/") for source in sources]
    return paths


def is_copied(path: str) -> bool:
    return any(path == src or path.startswith(src + "/") for src in copied_paths())


# --- the services --------------------------------------------------------------


def test_compose_has_every_service_and_only_nginx_is_published():
    services = compose_services()
    expected = {"postgres", "redis", "nginx", "seed", *SERVICES}
    assert expected <= set(services), f"missing: {sorted(expected - set(services))}"
    published = sorted(
        name for name, service in services.items() if service.get("ports")
    )
    assert published == ["nginx"]
    assert services["seed"].get("profiles") == ["demo"]
    assert not services["migrate"].get("profiles")
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["nginx"]["image"].startswith("nginx:1.25")
    assert [s for s in services if services[s].get("build")] == [
        "migrate"
    ], "one service builds the image, the others run it"
    for name in (*SERVICES, "seed"):
        assert services[name]["image"] == compose_image(), name


def test_compose_volumes_healthchecks_and_start_order():
    services = compose_services()
    assert any(
        volume.endswith(":/var/lib/postgresql/data")
        for volume in services["postgres"]["volumes"]
    )
    for name in (
        "postgres",
        "redis",
        "actions",
        "rasa",
        "dispatcher",
        "console",
        "web",
    ):
        assert (
            services[name].get("healthcheck", {}).get("test")
        ), f"{name}: no healthcheck"
    checks = {
        "actions": "http://127.0.0.1:5055/health",
        "rasa": "http://127.0.0.1:5005/",
        "dispatcher": "http://127.0.0.1:8082/metrics",
    }
    for name, url in checks.items():
        assert f"'{url}'" in " ".join(services[name]["healthcheck"]["test"]), name
    for name in ("actions", "rasa", "dispatcher", "console", "seed"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert (
        services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    )
    assert services["rasa"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_k8s_has_every_workload_service_and_the_external_stores():
    deployments, services = k8s("Deployment"), k8s("Service")
    assert {"rasa", "actions", "dispatcher", "console", "web"} <= set(deployments)
    assert {"rasa", "actions", "console", "web"} <= set(services)
    # PostgreSQL and Redis are managed services, reached by URL.
    assert not {"postgres", "redis"} & set(deployments)
    assert not k8s("StatefulSet")
    assert "assistant-migrate" in k8s("Job")
    for name, service in services.items():
        selector = service["spec"]["selector"]
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), f"Service {name} selects no pod"
        assert (
            deployments[name]["spec"]["selector"]["matchLabels"].items()
            <= labels.items()
        )


def test_kustomization_applies_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests - {SECRET_TEMPLATE.name}
    secret_files = {file for file, doc in k8s_documents() if doc["kind"] == "Secret"}
    assert secret_files == {SECRET_TEMPLATE.name}


@pytest.mark.parametrize("service", [*SERVICES, "seed"])
def test_compose_commands_start_the_right_module(service, monkeypatch):
    steps = compose_commands(service)
    assert steps[0][: len(ENTRY[service])] == ENTRY[service]
    for step in steps:
        parse(step, monkeypatch)


@pytest.mark.parametrize("service", SERVICES)
def test_k8s_commands_start_the_right_module(service, monkeypatch):
    steps = k8s_commands(service)
    assert steps[0][: len(ENTRY[service])] == ENTRY[service]
    for step in steps:
        parse(step, monkeypatch)


@pytest.mark.parametrize("source", ["compose", "k8s"])
def test_rasa_runs_like_run_sh(source, monkeypatch):
    steps = compose_commands("rasa") if source == "compose" else k8s_commands("rasa")
    assert len(steps) == 2 and steps[1][:4] == [*RASA_SERVER, "run"], steps
    written = option(steps[0], "--out")
    run = parse(steps[1], monkeypatch)
    assert run.enable_api
    assert run.jwt_secret == "$RASA_JWT_SECRET"
    assert run.jwt_method == "HS256"
    assert run.port == 5005
    assert run.interface == "0.0.0.0"
    assert run.model == "models/current.tar.gz"
    assert run.credentials == written == "var/credentials.yml"
    assert run.endpoints == "endpoints.yml"


@pytest.mark.parametrize("source", ["compose", "k8s"])
def test_ports_and_replicas(source):
    if source == "compose":
        steps, services = compose_commands, compose_services()
        replicas = {
            name: services[name].get("deploy", {}).get("replicas", 1)
            for name in SERVICES
        }
    else:
        steps = k8s_commands
        replicas = {
            name: workload(name)["spec"].get("replicas", 1)
            for name in SERVICES
            if name != "migrate"
        }
        assert workload("dispatcher")["spec"]["strategy"]["type"] == "Recreate"
    assert replicas["rasa"] >= 2 and replicas["actions"] >= 2, replicas
    assert replicas["dispatcher"] == 1, "two dispatchers would send messages twice"
    ports = {
        "actions": "5055",
        "rasa": "5005",
        "dispatcher": "8082",
        "console": "8081",
        "web": "8080",
    }
    flags = {"dispatcher": "--metrics-port"}
    for name, port in ports.items():
        assert option(steps(name)[-1], flags.get(name, "--port")) == port, name
    for name in ("console", "web"):
        assert option(steps(name)[-1], "--host") == "0.0.0.0", f"{name} binds loopback"


def test_k8s_probes_and_resources():
    for name in ("rasa", "actions", "dispatcher", "console", "web"):
        spec = container(name)
        assert spec.get("readinessProbe") and spec.get("livenessProbe"), name
        resources = spec.get("resources", {})
        assert resources.get("requests", {}).get("memory"), name
        assert resources.get("limits", {}).get("memory"), name
        pod = workload(name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
    rasa_memory = container("rasa")["resources"]["requests"]["memory"]
    assert memory_bytes(rasa_memory) >= 1.5 * 2**30, rasa_memory

    def http_probe(name: str) -> tuple[str, int]:
        probe = container(name)["readinessProbe"]["httpGet"]
        ports = {p["name"]: p["containerPort"] for p in container(name)["ports"]}
        return probe["path"], ports.get(probe["port"], probe["port"])

    assert http_probe("rasa") == ("/", 5005)
    assert http_probe("actions") == ("/health", 5055)
    assert http_probe("console") == ("/", 8081)
    # The dispatcher's metrics listen on the pod's loopback: probed from inside.
    probe = " ".join(container("dispatcher")["readinessProbe"]["exec"]["command"])
    assert "http://127.0.0.1:8082/metrics" in probe


# --- the settings --------------------------------------------------------------


def test_every_variable_is_documented():
    """A name the README's Configuration table does not list is a typo or a gap."""
    settings = documented(README, "Configuration")
    assert {"DATABASE_URL", "ACTION_SERVER_TOKEN", "SMS_PROVIDER"} <= settings
    deployment = documented(DEPLOY_README)
    missing: dict[str, set[str]] = {}
    for service in compose_services():
        if compose_services()[service].get("image") == compose_image():
            for name in set(compose_environment(service)) - settings:
                missing.setdefault(name, set()).add("compose.yaml")
    for name in INTERPOLATION.findall(COMPOSE.read_text(encoding="utf-8")):
        if name not in settings | deployment:
            missing.setdefault(name, set()).add("compose.yaml")
    k8s_names = {n for service in SERVICES for n in k8s_environment(service)}
    for kind, key in (("ConfigMap", "data"), ("Secret", "stringData")):
        k8s_names |= {n for obj in k8s(kind).values() for n in obj[key]}
    for name in k8s_names - settings:
        missing.setdefault(name, set()).add("deploy/k8s")
    report = ", ".join(
        f"{name} ({', '.join(sorted(where))})"
        for name, where in sorted(missing.items())
    )
    assert not missing, f"not in README.md's Configuration table: {report}"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_what_it_needs(service):
    in_compose = set(compose_environment(service))
    in_k8s = k8s_environment(service)
    assert not NEEDS[service] - in_compose, f"compose: {NEEDS[service] - in_compose}"
    assert not NEEDS[service] - in_k8s, f"k8s: {NEEDS[service] - in_k8s}"


def test_compose_secrets_are_references_only():
    for service in compose_services():
        for name, value in compose_environment(service).items():
            if SECRET_NAME.search(name):
                assert SECRET_REFERENCE.fullmatch(value), f"{service} {name}={value!r}"
            for password in USERINFO_PASSWORD.findall(value):
                assert SECRET_REFERENCE.fullmatch(password), f"{service} {name}"
    text = COMPOSE.read_text(encoding="utf-8")
    for name in REQUIRED_SECRETS:
        assert re.search(rf"\$\{{{name}:\?[^}}]+\}}", text), f"{name} is not required"
        assert not re.search(rf"\$\{{{name}:-", text), f"{name} has a default"


def test_k8s_secrets_stay_in_the_secret():
    config = k8s("ConfigMap")["assistant-config"]["data"]
    secret = k8s("Secret")["assistant-secrets"]["stringData"]
    leaked = [
        name
        for name, value in config.items()
        if SECRET_NAME.search(name) or USERINFO_PASSWORD.search(str(value))
    ]
    assert not leaked, f"secrets in the ConfigMap: {leaked}"
    for name, value in secret.items():
        assert "change-me" in value, f"{name}: the template holds placeholders only"
    assert {
        "DATABASE_URL",
        "TRACKER_STORE_URL",
        "LOCK_STORE_URL",
        *REQUIRED_SECRETS[1:],
    } <= set(secret)
    for service in SERVICES:
        for item in container(service).get("env", []):
            assert not SECRET_NAME.search(item["name"]) or "value" not in item, item


def compose_default(name: str) -> str:
    value = compose_environment("dispatcher")[name]
    match = re.fullmatch(rf"\$\{{{name}:-([^}}]*)\}}", value)
    return match[1] if match else value


def test_production_settings():
    assert compose_default("SMS_PROVIDER") not in ("", "console")
    assert compose_default("EMAIL_PROVIDER") not in ("", "console")
    assert compose_default("LOG_FORMAT") == "json"
    config = k8s("ConfigMap")["assistant-config"]["data"]
    assert config["SMS_PROVIDER"] in ("http", "twilio")
    assert config["EMAIL_PROVIDER"] == "smtp"
    assert config["LOG_FORMAT"] == "json"
    assert "BOT_TODAY" not in compose_environment("dispatcher") | config


def test_urls_between_services_follow_names_and_ports():
    services = compose_services()
    env = compose_environment("rasa")
    action_url = urlsplit(env["ACTION_SERVER_URL"])
    assert (action_url.hostname, str(action_url.port), action_url.path) == (
        "actions",
        option(compose_commands("actions")[0], "--port"),
        "/webhook",
    )
    api = urlsplit(env["RASA_API_URL"])
    assert (api.hostname, api.port) == ("rasa", 5005)
    assert urlsplit(env["LOCK_STORE_URL"]).hostname == "redis"
    database, tracker = (
        urlsplit(interpolated(env["DATABASE_URL"])),
        urlsplit(interpolated(env["TRACKER_STORE_URL"])),
    )
    assert database.hostname == tracker.hostname == "postgres"
    assert tracker.path == "/rasa" != database.path
    assert database.path == "/" + services["postgres"]["environment"]["POSTGRES_DB"]
    init = compose()["configs"]["create-tracker-database"]["content"]
    assert re.search(r"CREATE DATABASE rasa\b", init)
    mounted = [c["target"] for c in services["postgres"]["configs"]]
    assert any(t.startswith("/docker-entrypoint-initdb.d/") for t in mounted)

    config = k8s("ConfigMap")["assistant-config"]["data"]
    k8s_services = k8s("Service")
    for variable, service, path in (
        ("ACTION_SERVER_URL", "actions", "/webhook"),
        ("RASA_API_URL", "rasa", ""),
    ):
        url = urlsplit(config[variable])
        ports = [p["port"] for p in k8s_services[service]["spec"]["ports"]]
        assert url.hostname == service and url.port in ports and url.path == path


# --- the public entry ------------------------------------------------------------


def test_nginx_routes_only_socketio_the_connectors_and_the_page():
    servers = nginx_servers()
    customers = servers["80"]
    rasa, web = ("rasa:5005",), ("web:8080",)
    socketio = nginx_route(customers, "/socket.io/")
    assert nginx_target(servers, socketio) == rasa
    directives = {" ".join(words) for words, _ in socketio}
    assert "proxy_set_header Upgrade $http_upgrade" in directives
    assert any(d.startswith("proxy_set_header Connection") for d in directives)
    timeout = next(w[1] for w, _ in socketio if w[0] == "proxy_read_timeout")
    assert timeout.endswith("h") or int(timeout.rstrip("s")) >= 300
    upstream = urlsplit(next(w[1] for w, _ in socketio if w[0] == "proxy_pass")).netloc
    sticky = servers["upstreams"][f"{upstream} directives"]
    assert ["ip_hash"] in sticky or any(w[0] == "hash" for w in sticky), "not sticky"
    for path in CONNECTOR_PATHS:
        assert nginx_target(servers, nginx_route(customers, path)) == rasa, path
    for path in PAGE_PATHS:
        assert nginx_target(servers, nginx_route(customers, path)) == web, path
    for path in RASA_INTERNAL_PATHS:
        target = nginx_target(servers, nginx_route(customers, path))
        assert target == ("return", "404"), f"{path} -> {target}"
    console = servers["8081"]
    assert nginx_target(servers, nginx_route(console, "/api/tickets")) == (
        "console:8081",
    )


def test_compose_publishes_customers_and_agents_apart():
    nginx = compose_services()["nginx"]
    published = {port.rsplit(":", 1)[1]: interpolated(port) for port in nginx["ports"]}
    assert set(published) == {"80", "8081"}
    # The console's port is bound to one address (the agents' network), not all.
    assert published["8081"].count(":") == 2
    assert any(v.startswith("./deploy/nginx/compose.conf:") for v in nginx["volumes"])


def test_ingress_routes_only_socketio_the_connectors_and_the_page():
    public = public_ingress_class()
    routes = ingress_routes(public)
    assert ingress_backend(routes, "/socket.io/") == "rasa"
    for path in CONNECTOR_PATHS:
        assert ingress_backend(routes, path) == "rasa", path
    for path in PAGE_PATHS:
        assert ingress_backend(routes, path) == "web", path
    for path in RASA_INTERNAL_PATHS:
        assert ingress_backend(routes, path) != "rasa", path
    assert {service for _, _, service in routes} == {"rasa", "web"}
    rasa_ingresses = [
        ingress
        for ingress in k8s("Ingress").values()
        if any(
            p["backend"]["service"]["name"] == "rasa"
            for rule in ingress["spec"]["rules"]
            for p in rule["http"]["paths"]
        )
    ]
    for ingress in rasa_ingresses:
        notes = ingress["metadata"]["annotations"]
        assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
        assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 300
    consoles = [
        i
        for i in k8s("Ingress").values()
        if any(
            p["backend"]["service"]["name"] == "console"
            for rule in i["spec"]["rules"]
            for p in rule["http"]["paths"]
        )
    ]
    assert consoles and all(i["spec"]["ingressClassName"] != public for i in consoles)


# --- the image -----------------------------------------------------------------


def test_dockerfile_trains_the_model_at_build_time(monkeypatch):
    stage = final_stage()
    assert stage[0] == ("FROM", "python:3.10-slim")
    runs = [rest for name, rest in stage if name == "RUN"]
    assert any("pip install -r requirements.txt -c constraints.txt" in r for r in runs)
    env = " ".join(rest for name, rest in stage if name == "ENV")
    workdir = [rest for name, rest in stage if name == "WORKDIR"][-1]
    assert f"PYTHONPATH={workdir}" in env.split(), "custom components need PYTHONPATH"
    trainings = [
        i
        for i, (name, rest) in enumerate(stage)
        if name == "RUN" and "rasa train" in rest
    ]
    assert len(trainings) == 1, "the model is trained once, at build time"
    step = next(
        c
        for c in commands(["sh", "-c", stage[trainings[0]][1]])
        if c[:2] == ["rasa", "train"]
    )
    train = parse(step, monkeypatch)
    served = parse(compose_commands("rasa")[1], monkeypatch).model
    assert f"{train.out}/{train.fixed_model_name}.tar.gz" == served
    copied_before = [
        s
        for name, rest in stage[: trainings[0]]
        if name == "COPY"
        for s in shlex.split(rest)[:-1]
    ]
    for needed in ("config.yml", "domain.yml", "data/", "nlu/", "bot/"):
        assert needed in copied_before, f"{needed} is copied after the training"
    users = [(i, rest) for i, (name, rest) in enumerate(stage) if name == "USER"]
    assert users and users[-1][0] > trainings[0]
    assert users[-1][1] not in ("root", "0"), "the services do not run as root"


def test_dockerfile_copies_what_the_services_run():
    for source in copied_paths():
        assert (ROOT / source).exists(), f"COPY {source}: no such path"
    for service in (*SERVICES, "seed"):
        for step in compose_commands(service):
            if step[:2] == ["python", "-m"]:
                assert is_copied(step[2].split(".")[0]), step
            elif step[0] == "python":
                assert is_copied(step[1]), step
            for index, word in enumerate(step[:-1]):
                if word in ("--endpoints", "--file"):
                    assert is_copied(step[index + 1]), step
    assert is_copied("credentials.yml")  # what `python -m channels` starts from
