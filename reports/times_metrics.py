"""Advance widths of Times New Roman (as its metric twin Liberation Serif has them, in thousandths of an em): enough
to tell how many lines a text takes in a spreadsheet cell, which XlsxWriter cannot measure and LibreOffice does not fit
by itself. Generated from LiberationSerif-Regular.ttf and -Bold.ttf (fonts-liberation2)."""

from __future__ import annotations

CHARS = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-–—«»\"'()[]/№%+=_*&@#<>"
)


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split())


REGULAR = _numbers(
    """
444 509 472 410 509 444 444 691 395 535 535 486 499 633 535 500 535 500 444 437 500 648 500 535 503 770 770 517
672 456 429 747 460 722 574 667 578 682 611 611 896 501 722 722 667 678 889 722 722 722 556 667 611 708 790 722
722 650 1009 1009 706 872 574 660 1028 667 444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500
333 389 278 500 500 722 500 500 444 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556
611 722 722 944 722 722 611 500 500 500 500 500 500 500 500 500 500 250 250 250 278 278 333 444 333 500 1000 500
500 408 180 333 333 333 333 278 954 833 564 564 500 500 778 921 500 564 564
"""
)
BOLD = _numbers(
    """
500 500 540 454 506 444 444 725 402 576 576 576 561 681 576 500 576 556 444 491 500 692 500 576 564 844 844 583
781 529 432 764 541 722 661 667 636 688 667 667 989 528 778 778 725 745 944 778 778 778 611 722 667 734 859 722
778 734 1098 1098 765 982 661 678 1126 722 500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556
444 389 333 556 500 722 500 500 444 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556
667 722 722 1000 722 722 667 500 500 500 500 500 500 500 500 500 500 250 250 250 333 333 333 500 333 500 1000
500 500 555 278 333 333 333 333 278 1005 1000 570 570 500 500 833 930 500 570 570
"""
)
AVERAGE = 560  # a character not listed above

_WIDTHS = {False: dict(zip(CHARS, REGULAR, strict=True)), True: dict(zip(CHARS, BOLD, strict=True))}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Points the text takes at ``size`` points."""
    widths = _WIDTHS[bold]
    return sum(widths.get(ch, AVERAGE) for ch in text) * size / 1000


def wrapped_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines a text takes in ``width`` points, broken at spaces as a spreadsheet breaks it (a word longer than the
    line is cut), each line break of the text starting a new line."""
    return fragments_lines([(text, bold)], width, size)


def fragments_lines(fragments: list[tuple[str, bool]], width: float, size: float) -> int:
    """``wrapped_lines`` of a text made of fragments, some bold (a rich string)."""
    total, lines, used = 0, 1, 0.0
    for text, bold in fragments:
        space = text_width(" ", size, bold)
        for n, paragraph in enumerate(text.split("\n")):
            if n:
                total, lines, used = total + lines, 1, 0.0
            for m, word in enumerate(paragraph.split(" ")):
                gap = space if m else 0.0  # a fragment goes on where the previous one stopped
                word_width = text_width(word, size, bold)
                if used and word and used + gap + word_width > width:
                    lines, used, gap = lines + 1, 0.0, 0.0
                if word_width > width:  # a long word fills whole lines
                    extra = int(word_width // width)
                    lines += extra
                    word_width -= extra * width
                used += gap + word_width
    return max(total + lines, 1)


# A spreadsheet column of width 1 (in digits of Times 11, the workbooks' default font) is 5.88 points wide in
# LibreOffice (measured on its PDF). Its layout of text at small sizes runs a few per cent wider than the font's
# advance widths, and a cell keeps a margin on each side: 5.6 points a unit less 6 never gives a text fewer lines
# than it takes.
POINTS_PER_UNIT = 5.6


def cell_lines(text: str, units: float, size: float, bold: bool = False) -> int:
    """Lines a text takes in a cell ``units`` wide."""
    return wrapped_lines(str(text or ""), units * POINTS_PER_UNIT - 6, size, bold)


def line_height(size: float) -> float:
    """Points per line of Times at ``size`` points in a spreadsheet row."""
    return size * 1.17
