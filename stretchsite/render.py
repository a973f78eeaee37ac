"""Turn planned pages into HTML: the Jinja environment, Markdown and URLs."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .content import Site, Stretch, equipment_id
from .content.limits import timer_limits
from .drawing import figure_data, render_svg
from .errors import BuildError
from .fragments import Fragments, FragmentTag
from .pages import Page
from .phrases import Phrases
from .printing import QRCodes, address
from .routes import ROUTES
from .routine import routine_data, routine_frame, stretch_data
from .wording import Wording

# A relative URL made of path segments (plain URL characters, never `.` or
# `..`, none empty) and perhaps a query: joined to an address ending in `/`,
# it is simply appended. tests/test_routes.py checks it against urljoin.
_SEGMENT = r"(?!\.\.?(?:[/?]|$))[\w\-.~%!$&'()*+,=@]+"
PLAIN_PATH = re.compile(rf"(?:{_SEGMENT}/)*(?:{_SEGMENT})?(?:\?[\w\-.~%!$&'()*+,=@/?]+)?")


class _DirectCalls(Context):
    """Jinja's template context, calling the functions the renderer gave it straight away.

    Jinja calls every function a template names through :meth:`Context.call`,
    which asks the function on each call (three ``hasattr`` lookups) whether
    it wants the context passed in, then drops Jinja's private loop and block
    variables: a tenth of a listing page's time. A function in ``direct`` was
    asked once, when the renderer was made, and wants nothing passed in; any
    other callable (a method of a value, ``routes.section``) goes Jinja's way.
    """

    direct: frozenset[int] = frozenset()  # ids of objects the environment's globals keep alive

    def call(__self, __obj, *args, **kwargs):  # Jinja's own signature
        if id(__obj) not in __self.direct:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def direct_calls(env: Environment) -> type[Context]:
    """A context class for ``env`` calling its global functions as :class:`_DirectCalls` says.

    Only globals that take no context, environment or evaluation context
    (Jinja's ``pass_context`` and the like, on the object or its ``__call__``)
    are called directly; the globals must not be replaced afterwards.
    """
    direct = frozenset(
        id(value)
        for value in env.globals.values()
        if callable(value)
        and not hasattr(value, "jinja_pass_arg")
        and not hasattr(value.__call__, "jinja_pass_arg")
    )
    return type("RendererContext", (_DirectCalls,), {"direct": direct})


def normalise_base(base: str) -> str:
    """`repo`, `/repo`, `/repo/` -> `/repo/`; empty -> `/`."""
    base = "/" + base.strip().strip("/")
    return base if base == "/" else base + "/"


class Renderer:
    """Renders pages of one site with one set of templates and one base URL."""

    def __init__(
        self,
        site: Site,
        templates: Path,
        base_url: str = "/",
        site_url: str = "",
        bytecode_cache: BytecodeCache | None = None,
        qr_codes: QRCodes | None = None,
        pages: tuple[Page, ...] = (),
        fragments: Fragments | None = None,
    ):
        self.site = site
        self.templates = Path(templates)
        self.base_url = normalise_base(base_url)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        # Every page of the build, for pages that list others (sitemap.xml).
        self.pages = tuple(pages)
        self._markdown = None  # made on first use: a build with nothing to render skips it
        self._parts: dict[tuple, Markup] = {}  # see shared_part
        self.phrases = Phrases(site.language)
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            # Compiled templates, reused across processes (see cache.compiled_templates).
            bytecode_cache=bytecode_cache,
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # A renderer lives for one build: no need to stat each template on
            # every include (eleven times per stretch page) to see if it changed.
            auto_reload=False,
            extensions=[FragmentTag],
        )
        # A long-lived process keeps listing pages' entries across builds (fragments.py).
        self.fragments = fragments
        tag = self.env.extensions[FragmentTag.identifier]
        tag.keep_in(fragments)  # type: ignore[attr-defined]
        words = Wording(self.phrases)
        # Filters, each reading its arguments and the site data only (a kept
        # entry may use them: fragments.py).
        filters = dict(
            markdown=self.markdown,
            # The first letter up, the rest as written: Jinja's `capitalize` lowercases
            # the rest, and content words keep their case ("IT band", "TRX strap").
            capital=lambda text: text[:1].upper() + text[1:],
            # The model's wording in the site's language: `group | hold_text`.
            hold_text=words.hold,
            walk_text=words.walk,
            dose_text=words.dose,
            easier_text=words.easier_hold,
            sides_text=words.sides,
            hold_per=words.hold_per,
            equipment_text=words.equipment,
        )
        self.env.filters.update(filters)
        tag.pure_filters = frozenset(filters)  # type: ignore[attr-defined]
        # Globals whose result follows from their arguments and the site data
        # alone, never from the stretches: an entry kept across builds may call
        # them (fragments.py). `site` and `routine_json` read every stretch, and
        # a shared part may read anything the site holds.
        pure = dict(
            url=self.url,
            absolute_url=self.absolute_url,
            routes=ROUTES,
            stretch_url=lambda s: self.url(ROUTES.stretch(s)),
            figure_svg=self.figure_svg,
            figure_data=self.figure_data,
            # Printed cards: a QR code is only worth printing with a full address.
            site_address=address(self.site_url),
            qr_svg=(qr_codes or QRCodes()) if self.site_url else None,
            # UI phrases (phrases.py): phrase("key", name=value) in a template,
            # and the ones a page's scripts read, for a JSON block.
            phrase=self.phrases.markup,
            script_phrases=self.phrases.for_script,
            limits=timer_limits(),
            site_url=self.site_url,
            equipment_id=equipment_id,
            # Each age group's card, for links that follow the runner's choice.
            card_urls=lambda: {g.id: self.url(ROUTES.card(g)) for g in site.age_groups},
        )
        self.env.globals.update(
            pure,
            site=site,
            routine_json=self.routine_json,
            shared_part=self.shared_part,
        )
        tag.pure_globals = frozenset(pure)  # type: ignore[attr-defined]
        self.env.context_class = direct_calls(self.env)

    def shared_part(self, name: str, **values: object) -> Markup:
        """The template ``name`` rendered with ``values``, once per renderer for each set of them.

        For the parts of the layout that many pages show alike (the head's
        links, the site header, the footer's credit): a stretch page would
        otherwise spend about half its template time on them. A part sees
        the site-wide globals and ``values`` only, never the page, so what it
        shows cannot differ from page to page: a part that reads a page's
        variable fails the build as undefined instead of being reused wrongly.
        """
        key = (name, *sorted(values.items()))
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = Markup(self.env.get_template(name).render(**values))
        return part

    def routine_json(self) -> Markup:
        """``routine_data() | tojson`` byte for byte: the timer's data, safe inside HTML.

        In a long-lived process each stretch's part is kept with the timer
        page's entries (fragments.py), keyed by all its fields, and only an
        edited stretch is encoded again; the parts are joined as ``json.dumps``
        joins the items of a list and an object (sorted keys, ", " and ": ").
        """
        kwargs = self.env.policies["json.dumps_kwargs"]
        if self.fragments is None or kwargs != {"sort_keys": True}:
            return htmlsafe_json_dumps(routine_data(self.site, self.url), **kwargs)
        frame = routine_frame(self.site)
        items = []
        for name in sorted([*frame, "stretches"]):
            if name == "stretches":
                value = "[" + ", ".join(map(self._stretch_json, self.site.stretches)) + "]"
            else:
                value = htmlsafe_json_dumps(frame[name], sort_keys=True)
            items.append(f"{htmlsafe_json_dumps(name)}: {value}")
        return Markup("{" + ", ".join(items) + "}")

    def _stretch_json(self, stretch: Stretch) -> Markup:
        """One stretch's part of :meth:`routine_json`, kept across builds."""
        assert self.fragments is not None
        return self.fragments.entry(
            "routine.json\0" + self.fragments.value_key(stretch),
            lambda: htmlsafe_json_dumps(stretch_data(stretch, self.url), sort_keys=True),
        )

    def url(self, path: str = "") -> str:
        """Base-aware link to a path under the site, e.g. url(ROUTES.timer)."""
        return self.base_url + path.lstrip("/")

    def absolute_url(self, path: str = "") -> str:
        """Full URL for canonical links and QR codes; falls back to the base path."""
        if not self.site_url:
            return self.url(path)
        relative = path.lstrip("/")
        # A plain path goes after the site's address as it is: what urljoin
        # gives, without parsing both again (canonical links on every page).
        if PLAIN_PATH.fullmatch(relative):
            return self.site_url + relative
        return urljoin(self.site_url, relative)

    def figure_svg(self, stretch: Stretch, size: str = "large") -> Markup:
        """Inline SVG of the stretch's figure, or empty markup if it has none.

        ``large`` is labelled with the figure's text alternative; ``small`` is
        a decorative thumbnail for places that show the stretch's name beside it.
        """
        figure = self.site.figures.get(stretch.figure) if stretch.figure else None
        return Markup(render_svg(figure, size, f"fig-{stretch.slug}")) if figure else Markup("")

    def figure_data(self, stretch: Stretch) -> dict | None:
        """The figure as JSON-able data (see figures.figure_data), or None."""
        figure = self.site.figures.get(stretch.figure) if stretch.figure else None
        return figure_data(figure) if figure else None

    def markdown(self, text: str) -> Markup:
        """Markdown to HTML. Content is the site owner's own, so it is trusted."""
        if self._markdown is None:
            # Imported here: Python-Markdown is about 20 ms a no-change build need not pay.
            from .markdown_html import MarkdownConverter

            self._markdown = MarkdownConverter()
        return Markup(self._markdown(text))

    def render(self, page: Page, **extra: object) -> str:
        """Render one page; ``extra`` adds context known only at build time.

        Any error in a template (syntax, an undefined name, a missing include,
        an exception in its expressions) is raised as a one-line
        :class:`BuildError` naming the template file and line. It is located
        here, where the traceback still exists: a worker process's exception
        reaches the parent without it.
        """
        try:
            template = self.env.get_template(page.template)
            if self.fragments is None:
                return template.render(page=page, pages=self.pages, **page.context, **extra)
            self.fragments.begin(page.output)
            text = template.render(page=page, pages=self.pages, **page.context, **extra)
            self.fragments.end(page.output)
            return text
        except Exception as exc:
            from .problems import template_problem  # imported here: only a failing build needs it

            problem = template_problem(exc, self.templates)
            if not isinstance(exc, TemplateError) and not problem.line:
                raise  # not raised in a template: the generator's own doing
            raise BuildError(str(problem)) from exc
