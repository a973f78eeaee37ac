"""The renderer's templates call its functions directly (render._DirectCalls), with
exactly the results Jinja's own context gives."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, pass_context, pass_environment
from jinja2.runtime import Context

from stretchsite.content import Site
from stretchsite.render import direct_calls

from .helpers import rendered_pages, site_renderer


def every_page(site: Site, bytecode: Path, context_class: type[Context] | None) -> dict[str, str]:
    renderer = site_renderer(site, bytecode)
    if context_class is not None:
        renderer.env.context_class = context_class
    return rendered_pages(renderer)


def test_every_page_is_what_jinjas_own_context_renders(real_site: Site, tmp_path: Path):
    ours = every_page(real_site, tmp_path, None)
    assert ours == every_page(real_site, tmp_path, Context)


def environment(**functions: object) -> Environment:
    env = Environment(autoescape=True)
    env.globals.update(functions)
    env.context_class = direct_calls(env)
    return env


def test_plain_functions_are_called_directly_in_loops_and_blocks_too():
    def double(n: int) -> int:
        return 2 * n

    env = environment(double=double)
    assert id(double) in env.context_class.direct  # type: ignore[attr-defined]
    text = (
        "{% for n in [1, 2] %}{{ double(n) }}{% endfor %}{% block b %}{{ double(5) }}{% endblock %}"
    )
    # Jinja hands a call in a loop or block its private variables: never the function.
    assert env.from_string(text).render() == "2410"


def test_functions_that_want_the_context_or_environment_still_get_it():
    @pass_context
    def who(context) -> str:
        return context["name"]

    class Greeter:
        @pass_environment
        def __call__(self, env, name: str) -> str:
            return f"{env.globals['greeting']} {name}"

    greeter = Greeter()
    env = environment(who=who, greet=greeter, greeting="hello")
    assert not {id(who), id(greeter)} & env.context_class.direct  # type: ignore[attr-defined]
    text = "{% for name in ['ada'] %}{{ who() }} {{ greet(name) }}{% endfor %}"
    assert env.from_string(text).render(name="page") == "page hello ada"


def test_a_function_raising_stopiteration_is_undefined_as_in_jinja():
    def empty() -> object:
        return next(iter(()))

    env = environment(empty=empty)
    assert env.from_string("[{{ empty() }}]").render() == "[]"
