from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_import():
    """All four seed documents imported once, with checker findings (as `alur import`)."""
    from alur.importers import import_paths

    return import_paths(SEEDS)


@pytest.fixture(scope="session")
def seed_sops(seed_import):
    return {s.id: s for s in seed_import.sops}
