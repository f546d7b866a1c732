"""French number formats of the prose and figures."""

import math

from alesbook import figures


def test_fr_number_uses_narrow_spaces_and_decimal_comma():
    assert figures.fr_number(200913) == "200\u202f913"
    assert figures.fr_number(12.345, 1) == "12,3"
    assert figures.fr_number(math.nan) == "n.d."


def test_fr_signed_writes_plus_and_a_true_minus():
    assert figures.fr_signed(5206) == "+5\u202f206"
    assert figures.fr_signed(-1891) == "\u22121\u202f891"
    assert figures.fr_signed(-4.04, 1, " points") == "\u22124,0 points"
    assert figures.fr_signed(0) == "0"


def test_fr_percent():
    assert figures.fr_percent(12.34) == "12,3\u00a0%"


def test_fr_by_sign_picks_the_word_of_the_sign():
    assert figures.fr_by_sign(3.2, "gagné", "perdu") == "gagné"
    assert figures.fr_by_sign(-0.1, "gagné", "perdu") == "perdu"
    assert figures.fr_by_sign(0, "au-dessus", "en dessous", "au niveau") == "au niveau"


def test_fr_de_elides_before_a_vowel():
    assert figures.fr_de("Auch") == "d'Auch"
    assert figures.fr_de("Decazeville") == "de Decazeville"
    assert figures.fr_de("Alès") == "d'Alès"
