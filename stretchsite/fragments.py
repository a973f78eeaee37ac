"""Each listing page's per-stretch entries, kept from one build to the next.

A page that lists every stretch (the home page, the timer, the cards, the
cheat sheet) is rendered again whenever any stretch it shows changes: after
one title edit at 2,000 stretches, five pages of 2,000 entries each. In a
long-lived process (the dev server) an entry marked in its template

    {% for stretch in site.stretches %}
    {% fragment %}<li>...</li>{% endfragment %}
    {% endfor %}

is rendered once and kept with the key of everything it reads; the page's
next render reuses each entry whose key is unchanged and renders the others.
The page is the same text either way, byte for byte.

What an entry reads is found when its template is compiled, never declared
by hand: every name the entry (and each template it includes) looks up
outside itself. Each is keyed by value as the page renders: a stretch by the
digest of all its fields (so a field an entry starts reading later is covered
already), numbers, text and frozen site data (an age group) by value. The
globals it calls and the site data it reads (``site.age_groups``) follow from
the environment key (templates, site data, generator code, options), which
keys the whole store: when it changes, nothing kept is used.

What no key could cover is refused when the template is compiled, as a
template error naming the line:

- ``loop`` (its ``previtem``, ``nextitem`` and ``length`` read other
  stretches): set what the entry needs before it, ``{% set number = loop.index %}``;
- ``site`` other than as one of its site-data fields (``site.stretches``,
  ``site.equipment`` read every stretch);
- a global or filter not declared as reading only its arguments and site data
  (``routine_json()`` reads every stretch; see ``Renderer``);
- a fragment inside another, macros, blocks, imports, and includes of a
  computed name (their reads cannot be found).

Without a store (a build in a fresh process: ``make build``, the benchmarks)
each entry is rendered in place exactly as if the tags were not there, at
the cost of one test per entry.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import NamedTuple

from jinja2 import Environment, TemplateRuntimeError, nodes
from jinja2.compiler import CodeGenerator
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.ext import Extension
from jinja2.idtracking import VAR_LOAD_RESOLVE
from jinja2.runtime import Undefined
from markupsafe import Markup

from .content import Stretch
from .keys import stretch_digest

# The fields of `Site` that come from the content's site data (site.yml,
# figures/), all covered by the environment key. Not `stretches`, nor the
# properties made from them (`equipment`). A field added to Site is refused in
# an entry until it is listed here.
SITE_DATA = frozenset(
    {
        "title", "tagline", "language", "intro", "when", "strength", "equipment_note",
        "age_rule", "cooldown", "intensity", "consistency", "credit", "disclaimer",
        "age_groups", "timer", "figures",
    }
)  # fmt: skip
# Jinja's own filters and tests read their arguments only (but `random`).
BUILTIN_FILTERS = frozenset(DEFAULT_FILTERS) - {"random"}
BUILTIN_TESTS = frozenset(DEFAULT_TESTS)
# Names bound by Jinja itself: what they hold depends on where the entry is.
JINJA_NAMES = {
    "loop": "`loop` reads the other stretches; set what the entry needs before "
    "the fragment, e.g. {% set number = loop.index %}",
    "caller": "`caller` cannot be keyed",
    "varargs": "`varargs` cannot be keyed",
    "kwargs": "`kwargs` cannot be keyed",
    "self": "`self` (blocks) cannot be keyed",
}
REFUSED_NODES = (
    nodes.Macro,
    nodes.CallBlock,
    nodes.Block,
    nodes.Extends,
    nodes.Import,
    nodes.FromImport,
    nodes.Scope,
)
EVERY_FIELD: frozenset[str] = frozenset()
# The filters a fragment's compiled code calls: names no template can write.
LOOKUP, KEEP = "fragment lookup", "fragment keep"


class Change(NamedTuple):
    """What one render of a page changed in its kept entries."""

    fresh: dict[str, str]  # rendered now, by key
    gone: list[str]  # kept before, not used now


class Fragments:
    """The entries of one build: those kept from earlier builds, and those made now.

    ``kept`` (page output -> {key: entry}) belongs to the long-lived process
    (:class:`stretchsite.warm.WarmState`) and is updated as each page renders;
    ``known`` is the memo of :func:`stretchsite.keys.stretch_digest`.
    """

    def __init__(self, kept: dict[str, dict[str, Markup]], known: dict):
        self.kept = kept
        self.known = known
        # What changed in each page's entries rendered in this process: a
        # forked helper sends it back to the process that keeps them.
        self.made: dict[str, Change] = {}
        self.rendered = 0  # entries rendered rather than reused, for tests
        self._old: dict[str, Markup] = {}
        self._new: dict[str, Markup] = {}
        self._fresh: dict[str, Markup] = {}
        self._key = ""
        self._values: dict[int, tuple[object, str]] = {}  # keys of site data, by object
        self._shared: dict[str, tuple[dict, tuple]] = {}  # see `key`

    def begin(self, output: str) -> None:
        """Before rendering the page ``output``."""
        self._old = self.kept.get(output, {})
        self._new, self._fresh = {}, {}

    def end(self, output: str) -> None:
        """After rendering the page ``output`` without an error: keep the entries it used."""
        if self._new or self._old:
            self.made[output] = Change(self._fresh, sorted(self._old.keys() - self._new.keys()))
        if self._new:
            self.kept[output] = self._new
        else:
            self.kept.pop(output, None)
        self._old, self._new, self._fresh = {}, {}, {}

    def adopt(self, output: str, change: Change) -> None:
        """Keep what a helper process's render of ``output`` changed, as it kept it."""
        entries = self.kept.get(output, {})
        for key in change.gone:
            entries.pop(key, None)
        entries.update((key, Markup(text)) for key, text in change.fresh.items())
        if entries:
            self.kept[output] = entries
        else:
            self.kept.pop(output, None)

    def lookup(self, key: str) -> Markup | None:
        """The kept entry with ``key``, or None (then :meth:`keep` its text once rendered)."""
        self._key = key
        entry = self._old.get(key)
        if entry is not None:
            self._new[key] = entry
        return entry

    def keep(self, entry: Markup) -> Markup:
        """The entry just rendered for the key looked up last."""
        self._new[self._key] = self._fresh[self._key] = entry
        self.rendered += 1
        return entry

    def entry(self, key: str, make: Callable[[], Markup]) -> Markup:
        """The kept entry with ``key``, else the one ``make`` returns, kept from now on."""
        entry = self.lookup(key)
        return entry if entry is not None else self.keep(make())

    def key(self, where: str, names: tuple[str, ...], values: tuple, shared: dict) -> str:
        """The key of one entry: where it is, and the value of each name it reads.

        A value that is the environment's global of that name is left out:
        the template compiler let only pure globals through, and the
        environment key covers them.
        """
        known = self._shared.get(where)  # each name's global, looked up once a renderer
        if known is None or known[0] is not shared:
            known = self._shared[where] = (shared, tuple(shared.get(n, _ABSENT) for n in names))
        own = known[1]
        parts = [where]
        add = parts.append
        value_key = self.value_key
        for name, value, global_value in zip(names, values, own, strict=True):
            if value is not global_value:
                add(name)
                add(value_key(value))
        return "\0".join(parts)

    def value_key(self, value: object) -> str:
        """Text that differs whenever ``value`` could render differently."""
        kind = type(value)
        if kind is Stretch:
            return "s" + stretch_digest(value, EVERY_FIELD, self.known)  # type: ignore[arg-type]
        hit = self._values.get(id(value))  # site data, keyed once a build
        if hit is not None and hit[0] is value:
            return hit[1]
        if kind is int:
            return f"int:{value}"
        if kind is bool or kind is float or kind is str or value is None:
            return f"{kind.__name__}:{value!r}"
        if kind is Markup:
            return f"markup:{str(value)!r}"
        if isinstance(value, Undefined):
            return "undefined"  # only `is defined` may read it: StrictUndefined
        if kind is tuple or kind is list:
            return f"{kind.__name__}:{tuple(self.value_key(v) for v in value)!r}"  # type: ignore[union-attr]
        if dataclasses.is_dataclass(value) and kind.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            parts = tuple(self.value_key(getattr(value, f.name)) for f in dataclasses.fields(kind))
            self._values[id(value)] = (value, f"{kind.__qualname__}:{parts!r}")
            return self._values[id(value)][1]
        raise TemplateRuntimeError(
            f"a fragment cannot be keyed on a {kind.__name__}; pass it numbers, text, "
            "stretches or site data, or render it outside the fragment"
        )


_ABSENT = object()


class FragmentTag(Extension):
    """``{% fragment %}...{% endfragment %}``: an entry kept across builds (see the module)."""

    tags = frozenset({"fragment"})

    def __init__(self, environment: Environment):
        super().__init__(environment)
        self.fragments: Fragments | None = None  # see `keep_in`
        self.active = False  # read once per entry: a plain attribute, not a property
        # What a fragment may call: set by the renderer, nothing by default.
        self.pure_globals: frozenset[str] = frozenset()
        self.pure_filters: frozenset[str] = frozenset()
        self._inside = 0
        environment.filters[LOOKUP] = self._lookup
        environment.filters[KEEP] = self._keep

    def keep_in(self, fragments: Fragments | None) -> None:
        """Keep entries in ``fragments``; None: render every entry in place."""
        self.fragments = fragments
        self.active = fragments is not None

    def parse(self, parser) -> list[nodes.Node]:
        lineno = next(parser.stream).lineno
        if self._inside:
            parser.fail("a fragment cannot hold another fragment", lineno)
        self._inside += 1
        try:
            body = parser.parse_statements(("name:endfragment",), drop_needle=True)
            probe = nodes.Template(copy.deepcopy(body), lineno=lineno)
            probe.set_environment(self.environment)
            names = tuple(sorted(self._reads(probe, parser, lineno, set())))
        finally:
            self._inside -= 1
        hit, text = parser.free_identifier(lineno), parser.free_identifier(lineno)
        return [self._nodes(body, names, f"{parser.name}:{lineno}", lineno, hit, text)]

    def _nodes(
        self,
        body: list[nodes.Node],
        names: tuple[str, ...],
        where: str,
        lineno: int,
        hit: nodes.InternalName,
        text: nodes.InternalName,
    ) -> nodes.If:
        """In place without a store; else the kept entry, or the body captured and kept.

        ``hit`` and ``text`` are Python names of the compiled template's own
        (Jinja's free identifiers), never looked up in the context.
        """
        # Called as filters: a filter is called directly, a global through the context.
        values = nodes.List([nodes.Name(n, "load") for n in names])
        look = nodes.Filter(
            values, LOOKUP, [nodes.Const(where), nodes.Const(names)], [], None, None
        )
        missed = nodes.Test(hit, "none", [], [], None, None)
        keep = nodes.Filter(text, KEEP, [], [], None, None)
        render = [nodes.AssignBlock(text, None, copy.deepcopy(body)), nodes.Output([keep])]
        kept = [nodes.Assign(hit, look), nodes.If(missed, render, [], [nodes.Output([hit])])]
        node = nodes.If(self.attr("active"), kept, [], body)
        node.set_lineno(lineno)
        return node

    def _lookup(self, values: list, where: str, names: tuple[str, ...]) -> Markup | None:
        fragments = self.fragments
        assert fragments is not None
        return fragments.lookup(
            fragments.key(where, names, tuple(values), self.environment.globals)
        )

    def _keep(self, entry: Markup) -> Markup:
        assert self.fragments is not None
        return self.fragments.keep(entry)

    def _reads(self, probe: nodes.Template, parser, lineno: int, seen: set[str]) -> set[str]:
        """Every name the fragment ``probe`` (a copy of its body) reads from outside
        itself, and what the templates it includes read; refuses what no key covers."""
        names = _free_names(probe, self.environment)
        for name in names & JINJA_NAMES.keys():
            parser.fail(f"a fragment cannot read {JINJA_NAMES[name]}", lineno)
        barred = (names & self.environment.globals.keys()) - self.pure_globals - {"site"}
        for name in sorted(barred):
            parser.fail(
                f"a fragment cannot call {name!r}: it may read every stretch "
                "(only globals the renderer declares pure are allowed)",
                lineno,
            )
        self._check_nodes(probe, parser, lineno)
        for include in probe.find_all(nodes.Include):
            template = include.template
            if not isinstance(template, nodes.Const) or not isinstance(template.value, str):
                parser.fail("a fragment can include a template named by a string only", lineno)
            if template.value in seen:
                continue
            seen.add(template.value)
            source, filename, _ = self.environment.loader.get_source(  # type: ignore[union-attr]
                self.environment, template.value
            )
            included = self.environment.parse(source, template.value, filename)
            names |= self._reads(included, parser, lineno, seen)
        return names

    def _check_nodes(self, probe: nodes.Template, parser, lineno: int) -> None:
        for node in probe.find_all(REFUSED_NODES):
            parser.fail(f"a fragment cannot hold a {type(node).__name__.lower()}", lineno)
        for node in probe.find_all(nodes.Filter):
            if node.name not in BUILTIN_FILTERS | self.pure_filters:
                parser.fail(
                    f"a fragment cannot use the filter {node.name!r}: "
                    "it is not declared to read only its arguments",
                    lineno,
                )
        for node in probe.find_all(nodes.Test):
            if node.name not in BUILTIN_TESTS:
                parser.fail(f"a fragment cannot use the test {node.name!r}", lineno)
        allowed = {
            id(node.node)
            for node in probe.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.attr in SITE_DATA
        }
        for node in probe.find_all(nodes.Name):
            if node.name == "site" and node.ctx == "load" and id(node) not in allowed:
                parser.fail(
                    "a fragment can read `site` only through its site data "
                    f"({', '.join(sorted(SITE_DATA))}), not the stretches",
                    lineno,
                )


class _FreeNames(CodeGenerator):
    """Jinja's compiler, run for the names a template looks up rather than for code."""

    def __init__(self, environment: Environment):
        super().__init__(environment, "<fragment>", None)
        self.names: set[str] = set()

    def write(self, x: str) -> None:
        pass

    def enter_frame(self, frame) -> None:
        super().enter_frame(frame)
        for action, name in frame.symbols.loads.values():
            if action == VAR_LOAD_RESOLVE:
                self.names.add(name)


def _free_names(template: nodes.Template, environment: Environment) -> set[str]:
    finder = _FreeNames(environment)
    finder.visit(template)
    return finder.names
