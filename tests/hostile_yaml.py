"""Generated YAML frontmatter for hostile-content tests: fields a stretch has (and a few
it has not), with scalars, lists and mappings of every kind, including ones PyYAML
refuses or would run code for."""

from __future__ import annotations

from hypothesis import strategies as st

FIELDS = [
    "title", "order", "summary", "why", "targets", "equipment", "sides",
    "side_names", "dose", "cues", "slug", "easier", "figure", "sumary", "",
]  # fmt: skip

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=200),
    st.sampled_from(
        [
            "!!python/object/apply:os.system ['echo pwned']",
            "!!python/name:os.system",
            "!!binary aGVsbG8=",
            "&a [*a]",
            "*undefined",
            "{",
            "[[[[",
            "'unterminated",
            "\t- tab",
            "1 to 3 rounds",
            "5 reps",
            "0 reps",
            "3 to 1 sets",
            "foam roller",
            "each",
            "both",
        ]
    ),
)


def yaml_value(depth: int = 0) -> st.SearchStrategy[str]:
    if depth > 2:
        return yaml_scalars.map(str)
    return st.one_of(
        yaml_scalars.map(str),
        st.lists(yaml_scalars.map(str), max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(FIELDS), yaml_scalars.map(str), max_size=3).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
    )


frontmatter_text = st.lists(st.tuples(st.sampled_from(FIELDS), yaml_value()), max_size=14).map(
    lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs)
)
