"""Quick fixes: computed lazily (libcst only here), applied as text edits.

Fixes are asked for rarely (a code action resolved, `--fix`), so this package
may import libcst; nothing on the keystroke path imports it.
"""
