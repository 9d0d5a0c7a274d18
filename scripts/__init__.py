"""The course's tools (``make`` runs them as ``python scripts/<name>.py``).

Code that uses one of them as a module imports it as ``scripts.<name>`` with the repository root
on ``sys.path``: the tests (``tests/notebook_tools.script``), the book's extension
(``book/_ext/editions_language``) and the scripts among themselves. One name per module means one
module object, whose classes (``translations.CatalogError`` ...) are the same everywhere.
"""
