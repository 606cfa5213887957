"""Who may use the UI: anyone on this machine; on any other address, only users with a password.

kzqa binds 127.0.0.1 by default. Serving on a network address without authentication would hand
the assistant (and uploads into its index) to anyone who can reach the port, so it is refused.
"""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path

from ingest.errors import KzqaError

# Anyone on the machine can read a process's arguments (`ps`); the environment and a file can be private.
COMMAND_LINE_PASSWORD_NOTE = (
    "note: a password given with --auth is visible to every user of this machine (`ps`); "
    "prefer KZQA_AUTH=user:password in the environment or --auth-file FILE (chmod 600)"
)


class AccessError(KzqaError):
    """The server would be reachable without authentication, or the credentials are malformed."""


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere: treat it as network-facing


def parse_credentials(auth: str | None, auth_file: Path | None) -> list[tuple[str, str]]:
    """`user:password` pairs from --auth / KZQA_AUTH and from a file (one pair per line, # comments)."""
    lines: list[tuple[str, str]] = []
    if auth:
        lines.append(("--auth / KZQA_AUTH", auth))
    if auth_file:
        try:
            text = auth_file.read_text(encoding="utf-8")
        except OSError as error:
            raise AccessError(f"cannot read the auth file {auth_file}: {error.strerror or error}") from None
        lines += [(f"{auth_file}:{n}", line.strip()) for n, line in enumerate(text.splitlines(), 1)
                  if line.strip() and not line.lstrip().startswith("#")]  # fmt: skip
    pairs = []
    for where, line in lines:
        user, separator, password = line.partition(":")
        if not separator or not user.strip() or not password:
            raise AccessError(f"credentials in {where} must look like user:password")
        pairs.append((user.strip(), password))
    return pairs


def auth_file_warning(auth_file: Path) -> str | None:
    """A warning when users other than the owner may read (or change) the passwords in `auth_file`."""
    try:
        mode = auth_file.stat().st_mode
    except OSError:
        return None  # parse_credentials says why it cannot be read
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return None
    return (
        f"warning: the auth file {auth_file} can be read by other users of this machine "
        f"(permissions {stat.filemode(mode)}); restrict it with `chmod 600 {auth_file}`"
    )


def check_access(host: str, credentials: list[tuple[str, str]]) -> None:
    if not is_loopback(host) and not credentials:
        raise AccessError(
            f"refusing to serve on {host} without authentication: anyone who can reach the port could use "
            "kzqa. Pass --auth user:password (or set KZQA_AUTH, or --auth-file FILE), or keep the default "
            "--host 127.0.0.1."
        )
