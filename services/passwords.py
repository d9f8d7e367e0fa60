"""Password hashing (argon2id) and the strength rule for new passwords."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from runtime.i18n import N_
from runtime.settings import get_settings
from services.errors import DomainError, ErrorCode

MIN_LENGTH = 8
MAX_LENGTH = 128
# The handful that top every leaked-password list; a longer list belongs in a file if we need it.
COMMON = frozenset(
    {
        "password",
        "password1",
        "12345678",
        "123456789",
        "1234567890",
        "qwerty123",
        "11111111",
        "88888888",
        "abc12345",
        "iloveyou",
        "admin123",
        "a1234567",
        "qwertyuiop",
        "1qaz2wsx",
    }
)


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    s = get_settings()
    return _hasher(s.argon2_time_cost, s.argon2_memory_kib)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str, phone: str | None = None, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise DomainError(
            ErrorCode.WEAK_PASSWORD, N_("Use at least {min_length} characters."), field, min_length=MIN_LENGTH
        )
    if len(password) > MAX_LENGTH:
        raise DomainError(
            ErrorCode.WEAK_PASSWORD, N_("Use at most {max_length} characters."), field, max_length=MAX_LENGTH
        )
    if password.lower() in COMMON or len(set(password)) < 4:
        raise DomainError(ErrorCode.WEAK_PASSWORD, N_("This password is too easy to guess."), field)
    if password.isdigit() or password.isalpha():
        raise DomainError(ErrorCode.WEAK_PASSWORD, N_("Mix letters with digits or symbols."), field)
    if phone and phone.lstrip("+")[-8:] in password:
        raise DomainError(ErrorCode.WEAK_PASSWORD, N_("Do not use your phone number in the password."), field)
