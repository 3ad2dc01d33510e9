"""Codes people read aloud, copy from a board or type on a phone: no 0/O, 1/I/L, 2/Z, 5/S."""

import secrets

ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
JOIN_CODE_LENGTH = 6  # 27^6 ≈ 387 million codes; wrong tries are throttled per address
RECOVERY_CODE_LENGTH = 8


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What people type: lower case, spaces, dashes, and the look-alikes we never issue."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"0": "O", "1": "I", "5": "S", "2": "Z"}))


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
