"""Build the shipped CJK font: Noto Sans CJK SC cut down to what the app can show.

Flutter web has no CJK font offline, so the app ships one under assets/fonts/. The subset keeps
every GB2312 character (all 6,763 hanzi plus symbols), ASCII, common punctuation and every non-ASCII
character found in the app's and common/'s source, so new UI strings are covered on the next run.

Run (needs fontTools and the Debian package fonts-noto-cjk, which is only the source):
    python -m app_mobile.font_subset
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "assets" / "fonts" / "NotoSansSC-Subset.otf"
SC_FAMILY = "Noto Sans CJK SC"


def gb2312_characters() -> set[str]:
    """Every character GB2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars: set[str] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def source_characters() -> set[str]:
    """Non-ASCII characters written in the app's and common/'s source files, and in what the
    assistant says (its answers come from the backend and the shipped knowledge base)."""
    chars: set[str] = set()
    paths = [p for folder in ("app_mobile", "common") for p in (ROOT / folder).rglob("*.py")]
    paths += [*(ROOT / "backend" / "assistant").glob("*.py"),
              *(ROOT / "assets" / "assistant").glob("*.json")]  # fmt: skip
    for path in paths:
        chars.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F)
    return chars


def wanted_characters() -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xA0, 0x100)}  # Latin-1: ¥ · ×
    chars |= {chr(c) for c in range(0x2010, 0x2070)}  # dashes, quotes, ellipsis, ‰
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK punctuation 、。「」【】
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms ，：（）
    chars |= {"￥", "→", "←", "✓", "✗", "…", "•"}
    return chars | gb2312_characters() | source_characters()


def sc_font_index(collection: TTCollection) -> int:
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == SC_FAMILY:
            return index
    raise SystemExit(f"{SC_FAMILY} not found in {SOURCE}")


def main() -> None:
    index = sc_font_index(TTCollection(str(SOURCE)))
    options = subset.Options()
    options.font_number = index
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(wanted_characters())))
    subsetter.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(TARGET), options)
    size_mb = TARGET.stat().st_size / 1e6
    sys.stdout.write(f"wrote {TARGET} ({size_mb:.2f} MB)\n")


if __name__ == "__main__":
    main()
