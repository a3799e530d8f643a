"""What users build today without this integration, N times over.

examples/rest_gazelle.yaml is one Gazelle account the `rest` way: a REST
resource polling ajax.php?action=index plus template sensors. The bench makes
one copy per demo-tracker bench account, as a user with N accounts would.
"""

from __future__ import annotations

from pathlib import Path

import yaml  # type: ignore[import-untyped]

from script.processes import REPO

EXAMPLE = REPO / "examples" / "rest_gazelle.yaml"
EXAMPLE_URL = "https://orpheus.network"
# The example's configuration.yaml keys, included from the generated files.
REST_COMPONENTS = ("rest: !include rest.yaml", "template: !include template.yaml")


def account_copy(number: int, demo_url: str) -> str:
    """Return the example for bench account ``number`` of the demo tracker."""
    text = EXAMPLE.read_text().replace(EXAMPLE_URL, demo_url)
    # The header's value inline rather than in secrets.yaml: the same to parse.
    text = text.replace(
        "!secret orpheus_authorization", f'"token demo-bench-{number}-key"'
    )
    return text.replace("orpheus", f"orpheus_{number}").replace(
        "Orpheus ", f"Orpheus {number} "
    )


def write_rest_accounts(config: Path, demo_url: str, count: int) -> None:
    """Write rest.yaml and template.yaml for ``count`` accounts."""
    rest: list[object] = []
    template: list[object] = []
    for number in range(1, count + 1):
        copy = yaml.safe_load(account_copy(number, demo_url))
        rest += copy["rest"]
        template += copy["template"]
    for name, blocks in (("rest.yaml", rest), ("template.yaml", template)):
        (config / name).write_text(
            yaml.safe_dump(blocks, sort_keys=False, allow_unicode=True)
        )
