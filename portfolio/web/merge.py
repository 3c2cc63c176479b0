"""Three-way merge of an edit form: the values it was read with, the values now, the user's.

A form sends only what its user changed. When someone else changed the same stream meanwhile,
a field only one side changed takes that side's value by itself; a field both sides changed to
different values is a clash, which the user settles by choosing theirs or yours.
"""

from dataclasses import dataclass, field


def normalise(value):
    """Return `value` with its texts as stored: line feeds only, no trailing whitespace.

    Browsers send a textarea's lines with CR LF; without this an untouched field would differ
    from the stored text and record a change nobody made.
    """
    if isinstance(value, str):
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines).rstrip()
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value


def same(a, b) -> bool:
    return normalise(a) == normalise(b)


@dataclass
class Merge:
    """The outcome of merging one form's input."""

    values: dict  # the input to send: the user's changes on top of the current values
    changed: list[str] = field(default_factory=list)  # what the user changes now
    kept: list[str] = field(default_factory=list)  # changed by someone else only: theirs stays
    clashes: list[str] = field(default_factory=list)  # changed by both, to different values


def merge(keys, base: dict, current: dict, yours: dict, keep_theirs=()) -> Merge:
    """Merge the user's input `yours` for the fields `keys`, read at `base`, into `current`.

    Fields named in `keep_theirs` are ones the user chose to leave as they are now.
    """
    mine = [k for k in keys if k in yours and k not in keep_theirs and not same(yours[k], base[k])]
    theirs = [k for k in keys if not same(base[k], current[k])]
    clashes = [k for k in mine if k in theirs and not same(yours[k], current[k])]
    values = {k: current[k] for k in keys} | {k: normalise(yours[k]) for k in mine}
    changed = [k for k in mine if not same(yours[k], current[k])]
    kept = [k for k in theirs if k not in mine]
    return Merge(values=values, changed=changed, kept=kept, clashes=clashes)
