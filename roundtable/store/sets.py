r"""Set files: digests kept with no order at all, so where one lies says nothing of when it came.

A journal keeps records in arrival order, so a second journal written at the
same moments (receipts beside responses) would be linked to the first line
by line. A set file has no arrival order to give away. It is a hash table of
``buckets`` × ``SLOTS`` fixed-size slots, each one line of 64 hex digits (a
member) or of dashes (free)::

    4f0c…e1\n   ----…--\n   9ab2…07\n   ...

A member's bucket is chosen by its own first digits, and within the bucket it
takes a free slot drawn from the system's generator: the file's content is
the same, in distribution, whatever order the members came in. Adding one
writes one slot in place and fsyncs, whatever the file holds: no journal
position, no id, no per-member time. When a bucket is full the whole file is
rebuilt, twice as large, by an atomic replace, every member again in a random
slot of its bucket.

A crash while a slot is written leaves that slot torn: dashes partly
overwritten. It was never acknowledged, reads as free, and is used again.
Writing a slot touches only its own 65 bytes, so a torn write never harms
another member (the "powersafe overwrite" that SQLite also assumes). Any
other damage (a file that is not a whole number of buckets, a slot without
its newline) is refused with ``DamagedFileError``, as elsewhere in the store.
"""

import os
import re
import secrets

from .atomic import describe, replace_file
from .errors import DamagedFileError, WriteFailedError

SLOTS = 32  # slots per bucket
WIDTH = 64  # a member: 64 hex digits (a SHA-256 digest)
SLOT_BYTES = WIDTH + 1
BUCKET_BYTES = SLOTS * SLOT_BYTES
FREE = b"-" * WIDTH + b"\n"
MIN_BUCKETS = 4
MEMBER = re.compile(rb"[0-9a-f]{64}")
_PLACES = secrets.SystemRandom()  # where a member lands must not be predictable


def check_member(member):
    """Refuse anything but 64 lowercase hex digits; return it as bytes."""
    if not isinstance(member, str) or not MEMBER.fullmatch(member.encode("ascii", "replace")):
        raise ValueError("a set member is 64 lowercase hex digits")
    return member.encode("ascii")


def bucket_of(member, buckets):
    """The bucket of ``member`` (bytes) in a file of ``buckets`` buckets."""
    return int(member[:12], 16) % buckets


def _slots(path, data, first_slot=0):
    """(members, free slot numbers) of ``data``, whole buckets read from offset ``first_slot`` slots."""
    members, free = [], []
    for number in range(len(data) // SLOT_BYTES):
        slot = data[number * SLOT_BYTES : (number + 1) * SLOT_BYTES]
        if slot[WIDTH:] != b"\n":
            raise DamagedFileError(path, f"slot {first_slot + number} has no line end")
        if MEMBER.fullmatch(slot[:WIDTH]):
            members.append(slot[:WIDTH])
        else:
            free.append(first_slot + number)  # free, or torn by a write never acknowledged
    return members, free


def _size_checked(path, size):
    if size % BUCKET_BYTES or not size:
        raise DamagedFileError(path, f"{size} bytes is not a whole number of buckets")
    return size // BUCKET_BYTES


def read_members(path):
    """Every member of the set file at ``path`` (bytes), in file order; [] if there is no file."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise DamagedFileError(path, f"cannot be read ({describe(error)})") from error
    _size_checked(path, len(data))
    return _slots(path, data)[0]


def contains(path, member):
    """Whether the set file at ``path`` holds ``member`` (bytes): one bucket is read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        buckets = _size_checked(path, os.fstat(fd).st_size)
        bucket = bucket_of(member, buckets)
        data = os.pread(fd, BUCKET_BYTES, bucket * BUCKET_BYTES)
    finally:
        os.close(fd)
    return member in _slots(path, data, bucket * SLOTS)[0]


def layout(members, buckets=MIN_BUCKETS):
    """The bytes of a set file holding ``members``: each in a random free slot of its bucket.

    Starts with enough buckets for half of the slots to stay free, and
    doubles until every bucket has room.
    """
    members = set(members)
    while buckets * SLOTS < 2 * len(members):
        buckets *= 2
    while True:
        placed = [[] for _ in range(buckets)]
        for member in members:
            placed[bucket_of(member, buckets)].append(member)
        if all(len(bucket) <= SLOTS for bucket in placed):
            break
        buckets *= 2
    chunks = []
    for bucket in placed:
        slots = [FREE] * SLOTS
        for member, slot in zip(bucket, _PLACES.sample(range(SLOTS), len(bucket))):
            slots[slot] = member + b"\n"
        chunks.extend(slots)
    return b"".join(chunks)


def add(path, members):
    """Add ``members`` (bytes) to the set file at ``path``, durably; call while holding its lock.

    Each new member is written into a random free slot of its bucket, then the
    file is fsynced once. If a write or the fsync fails, the slots written are
    freed again (best effort) and WriteFailedError is raised: nothing is
    acknowledged. A full bucket, or a file not there yet, rebuilds the file.
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        replace_file(path, layout(members))
        return
    except OSError as error:
        raise WriteFailedError(path, describe(error)) from error
    written = []
    try:
        buckets = _size_checked(path, os.fstat(fd).st_size)
        for member in dict.fromkeys(members):
            bucket = bucket_of(member, buckets)
            present, free = _slots(path, os.pread(fd, BUCKET_BYTES, bucket * BUCKET_BYTES), bucket * SLOTS)
            if member in present:
                continue
            if not free:
                # Rebuilt from what the file holds now, unsynced slots included: the new file is fsynced whole.
                replace_file(path, layout(read_members(path) + list(members), buckets * 2))
                return
            slot = _PLACES.choice(free)
            written.append(slot)
            if os.pwrite(fd, member + b"\n", slot * SLOT_BYTES) != SLOT_BYTES:
                raise OSError(28, "short write")
        if written:
            os.fsync(fd)
    except OSError as error:
        for slot in written:
            try:
                os.pwrite(fd, FREE, slot * SLOT_BYTES)
            except OSError:
                break  # the disk refuses even this; the slots were never acknowledged anyway
        try:
            os.fsync(fd)
        except OSError:
            pass
        raise WriteFailedError(path, describe(error)) from error
    finally:
        os.close(fd)


def check(path):
    """(members, torn or free slots) of the set file at ``path``; DamagedFileError if it is damaged."""
    with open(path, "rb") as file:
        data = file.read()
    _size_checked(path, len(data))
    members, free = _slots(path, data)
    return len(members), len(free)
