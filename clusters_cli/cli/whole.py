"""Files written whole or not at all: a temporary file beside each target, renamed onto it once filled (several
put in place together), so a failure or an interrupt leaves what was there; and the one file never written over,
a pack of the knowledge base being read. Used by every command that writes a file (cli/files.py, cli/sheets.py).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageProblem
from ..i18n import _
from ..paths import same_file

if TYPE_CHECKING:
    from ..store.kb import KB


def _default_mode() -> int:
    """The permissions a new file gets here (0o666 less the umask), for a file made by renaming a temporary
    one (which is made readable by its owner only)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_whole(target: Path, write: Callable[[Path], object]) -> None:
    """Write the file `target` names whole or not at all: `write(path)` fills a temporary file beside it, which
    is then renamed onto it, so a failure (a full disk) or an interrupt leaves the file that was there as it
    was, and no temporary file. A symbolic link is followed: the file it points to is replaced, the link stays.
    A target that is no regular file (a named pipe, a device) cannot be renamed onto: the finished file is
    copied into it."""
    write_all_whole(iter([(target, write)]))


def write_all_whole(files: Iterator[tuple[Path, Callable[[Path], object]]]) -> None:
    """Several files written as write_whole writes one, and put in place together: each filled into its
    temporary file as `files` gives it, and only once every one is filled are they renamed onto their targets,
    so a failure or an interrupt on the way (the temporary folder full halfway through a CSV export) leaves every
    file as it was, not some tables new beside others of an earlier export."""
    parts: list[tuple[Path, Path, bool]] = []  # (temporary file, the real target, whether it is no regular file)
    try:
        for target, write in files:
            real = Path(os.path.realpath(target))
            special = real.exists() and not real.is_file()
            fd, name = tempfile.mkstemp(
                dir=tempfile.gettempdir() if special else real.parent, prefix=f".{real.name}.", suffix=".part"
            )
            os.close(fd)
            parts.append((Path(name), real, special))
            write(Path(name))
        for tmp, real, special in parts:
            if special:
                with open(tmp, "rb") as finished, open(real, "wb") as out:
                    shutil.copyfileobj(finished, out)
            else:
                os.chmod(tmp, stat.S_IMODE(real.stat().st_mode) if real.exists() else _default_mode())
                os.replace(tmp, real)
    finally:
        for tmp, _, _ in parts:
            tmp.unlink(missing_ok=True)


def write_text_whole(target: Path, text: str) -> None:
    write_whole(target, lambda path: path.write_text(text, encoding="utf-8"))


def refuse_knowledge_base(kb: KB, target: Path) -> None:
    """Never write over the knowledge base being read."""
    for pack in kb.paths:
        if same_file(target, pack):
            raise UsageProblem(
                _("refusing to overwrite a knowledge-base pack ({pack}); choose another -o").format(pack=pack)
            )
