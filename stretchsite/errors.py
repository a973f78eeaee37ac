"""Problems that stop a build and that the user can fix, each told in one line.

Content problems have their own type (:class:`stretchsite.content.ContentErrors`,
one `path:line: message` per problem). Everything else that stops a build
(an output folder the build may not replace, a template error, a full disk)
reaches the caller as a :class:`BuildError` whose text is the whole message.
"""

from __future__ import annotations

import errno
import os


class BuildError(Exception):
    """The build stopped before changing the output folder; ``str()`` says why and what to do."""


# What to do about the operating system errors a build can meet.
_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
    errno.EACCES: "permission denied; check who owns it and its permissions",
    errno.EPERM: "operation not permitted; check who owns it and its permissions",
    errno.EROFS: "the file system is read-only; build somewhere writable",
    errno.ENAMETOOLONG: "the name is too long for the file system; use a shorter path",
    errno.ELOOP: "too many levels of symbolic links; fix the link",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EXDEV: "it is on another file system than the folder beside it",
    errno.EBUSY: "it is in use (a mount point?); build into a folder inside it",
}


def os_error_line(exc: OSError) -> str:
    """One line for an operating system error: which file, what happened, what to do."""
    where = exc.filename if exc.filename is not None else ""
    if exc.filename2 is not None:
        where = f"{where} -> {exc.filename2}"
    what = _ADVICE.get(exc.errno) or (exc.strerror or str(exc)).rstrip(".")
    name = os.fsdecode(where) if where else ""
    return f"{name}: {what}" if name else what
