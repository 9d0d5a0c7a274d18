"""Sphinx extension: drop duplicate <script> entries from every page.

With Jupyter Book 1 on Sphinx 7.4, the inline configuration scripts of
sphinx-thebe and sphinx-togglebutton are added twice to each page, and the
second ``const THEBE_JS_URL = ...`` raises "Identifier has already been
declared" in the browser console. Files are de-duplicated by Sphinx already;
inline scripts are not. This keeps the first of identical entries.
"""

from __future__ import annotations

from typing import Any


def _key(script: Any) -> tuple:
    """What makes two entries the same script: file and attributes (body), not priority."""
    attributes = getattr(script, "attributes", {}) or {}
    # The same inline script arrives once with filename None and once with "".
    return (getattr(script, "filename", str(script)) or "", tuple(sorted(attributes.items())))


def dedupe_script_files(app, pagename, templatename, context, doctree) -> None:  # noqa: ARG001
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app) -> dict[str, Any]:
    app.connect("html-page-context", dedupe_script_files, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
