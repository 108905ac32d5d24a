from __future__ import annotations

import os
import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._image import parse_image
from twelvecheck.rules.dockerfile._startup import final_chain
from twelvecheck.lazy_re import lazy_compile

# Java application servers that deploy archives dropped into a directory they watch.
APPLICATION_SERVERS = frozenset({"tomcat", "tomee", "jetty", "wildfly", "jboss", "jboss-eap", "glassfish", "payara",
                                 "payara-server", "open-liberty", "openliberty", "websphere-liberty", "websphere", "weblogic"})
DEPLOYMENT_DIRECTORY = lazy_compile(r"/(webapps|deployments|autodeploy|dropins|apps|deploy)(/|$)")
ARCHIVE = lazy_compile(r"\.(war|ear)$", re.IGNORECASE)


class AppServedByInjectedContainer(DockerfileRule):
    """The app is a `.war`/`.ear` deployed into an application server image (Tomcat, WildFly…).

    ## What it does
    Reports a COPY/ADD of a `.war` or `.ear` archive (or into `webapps/`, `deployments/`,
    `dropins/`) in a final image built FROM a Java application server: tomcat, tomee, jetty,
    wildfly, jboss, glassfish, payara, open-liberty, websphere-liberty, weblogic.

    Language images that ship a web server for the language's normal runtime model
    (`php:8.3-apache`, `php:8.3-fpm`) are not reported: PHP has no self-contained server to
    export, the image *is* the app's runtime. Nor are archives started by the app itself
    (`java -jar app.war` with an embedded server).

    ## Why is this bad?
    Factor VII (port binding): a twelve-factor app is self-contained and exports HTTP by
    binding a port itself; it does not rely on a web container injected at runtime. The server's
    configuration (ports, thread pools, logging to files under `logs/`) lives outside the
    codebase, and the app cannot be run the same way in development. Spring Boot, Quarkus,
    Micronaut and embedded Jetty/Undertow build a runnable jar.

    ## Example
    ```dockerfile
    FROM tomcat:10.1-jre17
    COPY target/shop.war /usr/local/tomcat/webapps/ROOT.war
    ```

    Use instead:
    ```dockerfile
    FROM eclipse-temurin:21-jre
    COPY target/shop.jar /app/shop.jar
    EXPOSE 8080
    CMD ["java", "-jar", "/app/shop.jar"]
    ```
    """

    code = "DF217"
    name = "app-served-by-injected-container"
    severity = "info"
    factors = ("VII",)

    def check(self, ctx) -> Iterator[Finding]:
        chain = final_chain(ctx)
        server = next((s for s in chain if _server_name(ctx.resolved_base(s)) and not ctx.is_stage_reference(s)), None)
        if server is None:
            return
        name = _server_name(ctx.resolved_base(server))
        for stage in chain:
            for instruction in stage.instructions:
                if instruction.keyword not in ("COPY", "ADD") or len(instruction.args) < 2:
                    continue
                if _deploys_archive(instruction.args):
                    yield Finding(instruction.span, f"{instruction.keyword} deploys the app into the {name} application server",
                                  hint="build a self-contained app that binds its own port (an executable jar with an embedded server)")
                    return


def _deploys_archive(args: tuple[str, ...]) -> bool:
    """A .war/.ear source, or a directory copied into a deployment directory."""
    *sources, destination = args
    into_deployments = bool(ARCHIVE.search(destination) or DEPLOYMENT_DIRECTORY.search(destination))
    return any(ARCHIVE.search(s) for s in sources) or (into_deployments and any(s.endswith("/") for s in sources))


def _server_name(base: str) -> str | None:
    repository = parse_image(base).repository.lower()
    name = os.path.basename(repository)
    return name if name in APPLICATION_SERVERS else None
