"""No function of the collection's plugins or of the emulator is above cyclomatic complexity 20
(radon's measure), so that the places every new resource touches stay readable. A function that
must stay above carries a reason in ALLOWED."""

from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20
ALLOWED = {}  # "path:function" -> the reason it stays above LIMIT


def blocks_above_limit():
    found = []
    for folder in ("plugins", "emulator/src"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for block in cc_visit(path.read_text(encoding="utf-8")):
                name = "%s:%s" % (path.relative_to(ROOT), block.fullname)
                if block.complexity > LIMIT and name not in ALLOWED:
                    found.append("%s (%d)" % (name, block.complexity))
    return found


def test_no_function_above_the_complexity_limit():
    assert blocks_above_limit() == []
