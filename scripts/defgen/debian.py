"""A CPython release's headers and Stable ABI test from Debian's packages, into ``upstream/cpython/3.X/``.

Debian's ``libpython3.X-dev`` holds every header of a release (``cpython/``
and ``internal/`` included) and ``libpython3.X-testsuite`` its
``test/test_stable_abi_ctypes.py``; the ``sid`` suite carries the newest
releases. The packages are fetched with apt-get under a private
configuration (a sources list of its own, lists and cache in a scratch
folder: the machine's apt state is not touched, nothing is installed) and
unpacked with ``dpkg-deb -x``. Or from ``.deb`` files at hand (``debs``).

The mirror is the machine's own (:func:`apt_mirror`: the Debian archive its
apt sources name, a local mirror included), or one given (``--mirror``):
no host is written here.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from implib.errors import ImplibError

__all__ = ["DebianError", "apt_mirror", "download", "import_release", "packages_for"]

_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
#: Debian's release suites (not -updates, -security, -backports), by alias and codename:
#: an apt source for one of them is the Debian archive (or a mirror of it).
_SUITES = frozenset(
    [
        "stable",
        "testing",
        "unstable",
        "sid",
        "experimental",
        "oldstable",
        "oldoldstable",
        "stretch",
        "buster",
        "bullseye",
        "bookworm",
        "trixie",
        "forky",
        "duke",
    ]
)
#: Left out of include/: Debian's pyconfig.h only includes the Linux one.
#: (internal/mimalloc/ stays: pycore_mimalloc.h includes it, and implib sdk
#: bundles every header a C build may reach.)
_LEFT_OUT = ("pyconfig.h",)


class DebianError(ImplibError, OSError):
    """apt-get or dpkg-deb failed, or a package lacks what it should hold."""


def packages_for(minor: str) -> list[str]:
    """The two packages of CPython ``minor`` (``3.16``)."""
    return [f"libpython{minor}-dev", f"libpython{minor}-testsuite"]


def _run(argv: Sequence[str], cwd: Path | None = None) -> str:
    try:
        result = subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        raise DebianError(
            f"{argv[0]} not found (this needs Debian's apt-get and dpkg-deb)"
        ) from None
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise DebianError(f"{' '.join(argv[:3])} ... failed: {' / '.join(tail)}")
    return result.stdout


def _one_line_sources(text: str) -> list[dict[str, list[str]]]:
    """``deb [options] URI suite component...`` lines, as deb822 fields."""
    stanzas = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        options: dict[str, list[str]] = {}
        if words and words[0].startswith("["):
            inside = []
            while words:
                word = words.pop(0)
                inside.append(word.strip("[]"))
                if word.endswith("]"):
                    break
            for option in inside:
                name, _, value = option.partition("=")
                options[name.lower()] = [value]
        if len(words) >= 3:
            stanzas.append(
                {
                    "types": ["deb"],
                    "uris": [words[0]],
                    "suites": [words[1]],
                    "components": words[2:],
                    "signed-by": options.get("signed-by", []),
                }
            )
    return stanzas


def _deb822_sources(text: str) -> list[dict[str, list[str]]]:
    """deb822 stanzas (``Types:``, ``URIs:``, ``Suites:`` ...), field names lowered."""
    stanzas = []
    for block in text.split("\n\n"):
        fields: dict[str, list[str]] = {}
        name = ""
        for line in block.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if line[:1] in " \t" and name:  # a continued field (a key inlined in Signed-By)
                fields[name] += line.split()
                continue
            name, _, value = line.partition(":")
            name = name.strip().lower()
            fields[name] = value.split()
        if fields:
            stanzas.append(fields)
    return stanzas


def apt_mirror(root: Path = Path("/")) -> str:
    """The Debian archive the machine's apt sources name: the URI of their first
    enabled ``deb`` entry for one of Debian's release suites (not ``-updates`` or
    ``-security``) with ``main``, signed by Debian's archive keyring or not said;
    DebianError if there is none.

    Read from ``etc/apt/sources.list``, ``etc/apt/sources.list.d/*.list`` and the
    deb822 ``*.sources`` under ``root``.
    """
    etc = root / "etc" / "apt"
    files = [etc / "sources.list", *sorted((etc / "sources.list.d").glob("*.list"))]
    files += sorted((etc / "sources.list.d").glob("*.sources"))
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        stanzas = _deb822_sources(text) if path.suffix == ".sources" else _one_line_sources(text)
        for fields in stanzas:
            enabled = fields.get("enabled", ["yes"])[0].lower() not in ("no", "false", "0")
            signed = fields.get("signed-by", [])
            uris = [u for u in fields.get("uris", []) if not u.startswith("cdrom:")]
            if not (enabled and "deb" in fields.get("types", []) and uris):
                continue
            if "main" not in fields.get("components", []) or signed[:1] not in ([], [_KEYRING]):
                continue
            if any(suite in _SUITES for suite in fields.get("suites", [])):
                return uris[0].rstrip("/")
    raise DebianError(
        f"no Debian archive found in the apt sources under {etc}: give one with --mirror URL"
    )


def download(
    packages: Sequence[str], folder: Path, *, suite: str = "sid", mirror: str | None = None
) -> list[Path]:
    """Fetch ``packages`` of ``suite`` into ``folder`` with a private apt configuration,
    from ``mirror`` (default: the machine's own, :func:`apt_mirror`)."""
    mirror = mirror or apt_mirror()
    state = folder / "apt"
    (state / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (state / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    sources = state / "sources.list"
    sources.write_text(f"deb [signed-by={_KEYRING}] {mirror} {suite} main\n", encoding="utf-8")
    options = [
        f"-oDir::Etc::SourceList={sources}",
        "-oDir::Etc::SourceParts=/dev/null",
        f"-oDir::State::Lists={state / 'lists'}",
        f"-oDir::Cache={state / 'cache'}",
        "-oDebug::NoLocking=1",
    ]
    _run(["apt-get", *options, "update"])
    _run(["apt-get", *options, "download", *packages], cwd=folder)
    found = []
    for package in packages:
        debs = sorted(folder.glob(f"{package}_*.deb"))
        if not debs:
            raise DebianError(f"apt-get downloaded no {package}_*.deb")
        found.append(debs[-1])
    return found


def _field(deb: Path, name: str) -> str:
    return _run(["dpkg-deb", "-f", str(deb), name]).strip()


def _copy_tree(source: Path, target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> list[str]:
        relative = Path(folder).relative_to(source)
        return [n for n in names if (relative / n).as_posix().lstrip("./") in _LEFT_OUT]

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=ignore)


def import_release(minor: str, debs: Sequence[Path], upstream: Path, *, suite: str) -> Path:
    """Unpack the dev and testsuite ``debs`` of ``minor`` into ``upstream/cpython/<minor>/``.

    Writes ``include/``, ``test_stable_abi_ctypes.py`` (if the testsuite is
    among ``debs``) and ``SOURCE`` (each package's name, version and sha256,
    and the paths taken); returns the folder.
    """
    by_package = {_field(deb, "Package"): deb for deb in debs}
    dev, testsuite = packages_for(minor)
    if dev not in by_package:
        raise DebianError(f"no .deb of {dev} among {', '.join(d.name for d in debs)}")
    release = upstream / "cpython" / minor
    lines = []
    parts = [
        (dev, f"usr/include/python{minor}", release / "include"),
        (testsuite, f"usr/lib/python{minor}/test/test_stable_abi_ctypes.py",
         release / "test_stable_abi_ctypes.py"),
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        for package, inner, target in parts:
            deb = by_package.get(package)
            if deb is None:  # 3.11's headers serve only to check the method
                continue
            unpacked = Path(scratch) / package
            _run(["dpkg-deb", "-x", str(deb), str(unpacked)])
            source = unpacked / inner
            if not source.exists():
                raise DebianError(f"{deb.name} has no {inner}")
            release.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                _copy_tree(source, target)
                left_out = f" (less {', '.join(_LEFT_OUT)})"
            else:
                shutil.copyfile(source, target)
                left_out = ""
            digest = hashlib.sha256(deb.read_bytes()).hexdigest()
            version = _field(deb, "Version")
            lines.append(
                f"Debian {suite} {package} {version}, {deb.name} sha256 {digest}: "
                f"{inner} -> {target.relative_to(release).as_posix()}{left_out}"
            )
    (release / "SOURCE").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return release
