"""Raw digests for the import tests: the five samples, the realistic digests of
tests/fixtures/import/ (one folder each, the raw file named as the folder), and small raw files
written on the spot; what the parser reads from a file, and what an import left in content/."""

from __future__ import annotations

from pathlib import Path

from litdigest.content.model import Content
from litdigest.content.folder import load_content
from litdigest.importer import clean
from litdigest.importer import formats
from litdigest.importer.report import ImportReport
from litdigest.importer.run import run_import
from tests.helpers.paths import IMPORT_FIXTURES, ROOT

SAMPLE_NUMBERS = ("000", "001", "002", "003", "004")


def samples_dir() -> Path:
    """The repo's copies in content/raw when present, else the shared seeds beside the repo."""
    in_repo = ROOT / "content" / "raw"
    if in_repo.is_dir() and any(in_repo.glob("00[0-4]_*.txt")):
        return in_repo
    return ROOT.parent / "shared" / "seeds"


def sample(number: str) -> Path:
    """The sample digest whose name starts with `number`, e.g. "004"."""
    (found,) = sorted(samples_dir().glob(f"{number}_*.txt"))
    return found


def samples() -> list[Path]:
    return [sample(number) for number in SAMPLE_NUMBERS]


def fixture_folder(name: str) -> Path:
    """A realistic digest's folder: its raw file, the report and the content/ importing it gives."""
    return IMPORT_FIXTURES / name


def fixture(name: str) -> Path:
    """A realistic raw digest, e.g. "daily_two_dates": tests/fixtures/import/daily_two_dates/daily_two_dates.txt.
    The raw file keeps its name: the digest's id and `source` come from it."""
    return fixture_folder(name) / f"{name}.txt"


def fixture_names() -> list[str]:
    return sorted(p.name for p in IMPORT_FIXTURES.iterdir() if (p / f"{p.name}.txt").is_file())


def fixtures() -> list[Path]:
    """Every realistic raw digest, in the order of their names."""
    return [fixture(name) for name in fixture_names()]


def raw_file(raw_dir: Path, number: str) -> Path:
    (found,) = sorted(raw_dir.glob(f"{number}_*.txt"))
    return found


def all_raw(raw_dir: Path) -> list[Path]:
    return sorted(raw_dir.glob("*.txt"))


def write_raw(folder: Path, name: str, text: str | bytes) -> Path:
    """A raw digest written on the spot (text as UTF-8, bytes as given)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def import_text(tmp_path: Path, name: str, text: str | bytes, **options: object) -> ImportReport:
    """Write one raw digest under tmp_path/raw and import it into tmp_path/content."""
    return run_import([write_raw(tmp_path / "raw", name, text)], tmp_path / "content", **options)  # type: ignore[arg-type]


def loaded(content: Path) -> Content:
    return load_content(content)


def parsed_file(path: Path) -> tuple[list[str], formats.ParsedFile]:
    """A raw file's lines and what its detected format's parser reads from them."""
    lines = clean.split_lines(path.read_bytes().decode("utf-8"))
    name = formats.detect_format(lines)
    assert name is not None, path
    return lines, formats.parse(lines, name)
