"""The content folder, read one way: model <- document <- schema <- loaders.

- ``model``: the site as frozen dataclasses; no I/O, no checks.
- ``document``: files as text and YAML that remembers each key's line;
  :class:`ContentError` (``path:line: message``) and :class:`ContentErrors`.
- ``schema``: the checks and the fields each kind of file may hold.
- ``loaders``: read site data, stretches and figures into the model.

The rest of the program imports from here: ``load_site`` and the model types.
"""

from .document import ContentError, ContentErrors, file_digest
from .loaders import load_site
from .model import (
    AgeGroup,
    Cooldown,
    Credit,
    Dose,
    Easier,
    Figure,
    Pose,
    Section,
    Shape,
    Site,
    Stretch,
    TimerDefaults,
    equipment_id,
)

__all__ = [
    "AgeGroup",
    "ContentError",
    "ContentErrors",
    "Cooldown",
    "Credit",
    "Dose",
    "Easier",
    "Figure",
    "Pose",
    "Section",
    "Shape",
    "Site",
    "Stretch",
    "TimerDefaults",
    "equipment_id",
    "file_digest",
    "load_site",
]
