import json
import os


def pytest_terminal_summary(terminalreporter):
    from tests.fuzz.properties import COUNTS

    if not COUNTS:
        return
    total = sum(COUNTS.values())
    terminalreporter.write_line(f"fuzz: {total} inputs checked ({', '.join(f'{k}: {n}' for k, n in sorted(COUNTS.items()))})")
    if os.environ.get("DOCKERLS_FUZZ_STATS"):
        with open(os.environ["DOCKERLS_FUZZ_STATS"], "w", encoding="utf-8") as out:
            json.dump({"total": total, **COUNTS}, out, indent=1)
