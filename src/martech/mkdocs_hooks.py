"""MkDocs hooks, listed in mkdocs.yml. Zensical runs none: what is here is for Material only.

Search: mkdocs.yml's separator keeps hyphenated words whole (server-side, first-party), which is
right for Zensical. Material's search cannot: lunr's query parser splits every query at hyphens
with a pattern of its own (lunr.QueryLexer.termSeparator, fixed before Material sets ours), so
"server-side" is looked up as "server" and "side", and an index that kept "server-side" whole
would never match it. For Material the index splits at hyphens too.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority


@event_priority(100)  # before the search plugin copies its settings in its own on_config
def on_config(config):
    search = config.plugins.get("material/search")
    separator = search.config.separator if search is not None else None
    if separator and not separator.startswith("-|"):  # once, also when `mkdocs serve` rebuilds
        search.config.separator = "-|" + separator
    return config
