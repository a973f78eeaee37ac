"""What the accessibility tests ask of axe-core: one rule set for every page and the dev overlay."""

# All WCAG 2.x A and AA rules plus axe's best practices (landmarks, headings ...).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
