from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import account_entries, evidence, layer_span
from twelvecheck.rules.image._base import ImageRule


def empty_password_accounts(image) -> list[tuple[str, str]]:
    """``(account, file)`` for each account that logs in with no password at all."""
    found = [(entry[0], "/etc/shadow") for entry in account_entries(image, "/etc/shadow")
             if len(entry) > 1 and entry[1] == ""]
    shadowed = {name for name, _ in found} | {entry[0] for entry in account_entries(image, "/etc/shadow")}
    found += [(entry[0], "/etc/passwd") for entry in account_entries(image, "/etc/passwd")
              if len(entry) > 1 and entry[1] == "" and entry[0] not in shadowed]
    return found


class EmptyPassword(ImageRule):
    """An account with an empty password in the image's /etc/shadow or /etc/passwd.

    ## What it does
    Reads the final image's `/etc/shadow` (and `/etc/passwd` for accounts without a shadow
    entry) and flags every account whose password field is empty. A locked account (`!`, `*`,
    `!!`) or one with a hash is fine.

    ## Why is this bad?
    An empty password field means "no password needed": `su account` or a login service in the
    container gets that account without any secret.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY shadow /etc/shadow
    -- shadow --
    root:*:19000:0:99999:7:::
    app::19000:0:99999:7:::
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY shadow /etc/shadow
    -- shadow --
    root:*:19000:0:99999:7:::
    app:!:19000:0:99999:7:::
    ```

    ## References
    - dockle `CIS-DI-0009`-adjacent check `DKL-LI-0001` (avoid empty password)
    """

    code = "IM005"
    name = "empty-password"
    severity = "error"
    security_severity = 7.5

    def check(self, image) -> Iterator[Finding]:
        for account, path in empty_password_accounts(image):
            layer = image.final(path).layer
            proof = evidence(image, f"{account} has an empty password field in {path} (layer {layer})", layer, path=path)
            yield Finding(layer_span(image, layer), f"account {account} has an empty password in {path}",
                          hint=f"lock it (passwd -l {account}, or '!' in the password field)", evidence=(proof,))
