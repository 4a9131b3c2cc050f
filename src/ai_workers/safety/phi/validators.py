"""Check digits and number-range rules that turn "looks like an identifier" into "is one".

Each validator is a pure function on the matched text, so a regex can be generous (cheap, no
backtracking) and the validator cuts the false positives: a random 9-digit number passes the SSN
area/group/serial rules far less often than a real one, a random 16-digit number passes Luhn 1 in 10.
"""

from __future__ import annotations

import ipaddress


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn_ok(number: str) -> bool:
    """The Luhn (mod 10) check used by payment cards and, with a prefix, by NPIs."""
    digits = digits_of(number)
    if len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_ok(number: str) -> bool:
    digits = digits_of(number)
    return 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1


def ssn_ok(number: str) -> bool:
    """SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    digits = digits_of(number)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def npi_ok(number: str) -> bool:
    """An NPI is 10 digits whose Luhn check is computed over the ISO prefix 80840 + the number."""
    digits = digits_of(number)
    return len(digits) == 10 and digits[0] in "12" and luhn_ok("80840" + digits)


_DEA_FIRST = set("ABCDEFGHJKLMPRSTUX")


def dea_ok(value: str) -> bool:
    """DEA registration: 2 letters + 7 digits; (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    v = value.strip().upper()
    if len(v) != 9 or v[0] not in _DEA_FIRST or not (v[1].isalpha() or v[1] == "9"):
        return False
    tail = v[2:]
    if not tail.isdigit():
        return False
    d = [int(c) for c in tail]
    check = (d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])
    return check % 10 == d[6]


_VIN_VALUES = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_ok(value: str) -> bool:
    """North American VIN: 17 characters (no I, O, Q), position 9 is the mod-11 check digit."""
    v = value.upper()
    if len(v) != 17 or any(c not in _VIN_VALUES for c in v):
        return False
    if v.isdigit() or v.isalpha():
        return False
    total = sum(_VIN_VALUES[c] * w for c, w in zip(v, _VIN_WEIGHTS, strict=True))
    rem = total % 11
    return v[8] == ("X" if rem == 10 else str(rem))


def ip_ok(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def plausible_date(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
