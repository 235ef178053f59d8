"""Errors that bosim shows to users.

Bad input is the user's to fix, so it gets a message that names the file, the key and
the fix, and the command line turns it into exit code 2 without a traceback.
"""

from __future__ import annotations


class InputError(Exception):
    """A scenario file, an override or a command-line value that bosim cannot use.

    Args:
        message: what is wrong, in plain words.
        file: the file the bad value came from, if any.
        key: the dotted key path (``places.shelter.capacity``), if any.
        fix: what the user should do instead.

    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.key = key
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.key) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text

    def __reduce__(self) -> tuple[object, ...]:
        """Keep file, key and fix when the error crosses from a worker process."""
        return (_rebuild, (type(self), self.message, self.file, self.key, self.fix))


def _rebuild(
    kind: type[InputError], message: str, file: str | None, key: str | None, fix: str | None
) -> InputError:
    error = kind.__new__(kind)
    InputError.__init__(error, message, file=file, key=key, fix=fix)
    return error


class InputErrors(InputError):  # noqa: N818 - a collection of InputError
    """Several input errors found at once, reported together so the user fixes all in one go."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)

    def __reduce__(self) -> tuple[object, ...]:
        """Keep every error when the collection crosses from a worker process."""
        return (InputErrors, (self.errors,))


class SimulationStalled(InputError):  # noqa: N818 - the name says what happened
    """A replication that stopped making progress: many events without time passing.

    The scenario is valid but sends people round without time passing (stays of 0
    days routed back, or breakdowns as soon as people are housed); the message names
    the likely cause.
    """
