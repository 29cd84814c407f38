"""Damage a report the way real batches do: cut short, lines lost or doubled, cells swapped,
digits mistyped, bytes garbled, encodings mixed. Deterministic given a random.Random."""

import random

GARBAGE = ("|||", "\t\t\t", "（", "一、", "表三", "0 0 0", "<td>", "合计", "\ufeff", "１２３", "　")
# Text the normalizer and grammar treat specially, put inside a line.
NOISE = ("\t", "|", "\n", "0", "一、", "~", "\x1e", "。", "<td>", "第二十条第(一)项")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]  # may cut a UTF-8 character in half


def drop_head(data: bytes, rng: random.Random) -> bytes:
    return data[rng.randrange(len(data)) :]  # a file that starts mid-report


def drop_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    return b"\n".join(lines[:start] + lines[start + rng.randint(1, 12) :])


def duplicate_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randint(1, 20)]
    return b"\n".join(lines[:start] + block + block + lines[start + len(block) :])


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def mistype_digits(data: bytes, rng: random.Random) -> bytes:
    chars = bytearray(data)
    digits = [i for i, c in enumerate(chars) if 0x30 <= c <= 0x39]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 8))):
        chars[i] = rng.choice(b"0123456789OlI-. ")
    return bytes(chars)


def insert_garbage(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 6)):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(GARBAGE).encode())
    return b"\n".join(lines)


def insert_noise(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    position = rng.randrange(len(text) + 1)
    return (text[:position] + rng.choice(NOISE) + text[position:]).encode("utf-8")


def garble_bytes(data: bytes, rng: random.Random) -> bytes:
    chars = bytearray(data)
    for _ in range(rng.randint(1, 10)):
        chars[rng.randrange(len(chars))] = rng.randrange(256)
    return bytes(chars)


def join_lines(data: bytes, rng: random.Random) -> bytes:
    """A region whose line breaks were lost (copy from a PDF viewer)."""
    lines = _lines(data)
    start = rng.randrange(len(lines))
    end = start + rng.randint(2, 40)
    return b"\n".join(lines[:start] + [b"".join(lines[start:end])] + lines[end:])


def mixed_encoding(data: bytes, rng: random.Random) -> bytes:
    """Part of the file re-encoded as GB18030 (two files pasted together)."""
    text = data.decode("utf-8", errors="replace")
    cut = rng.randrange(len(text) + 1)
    return text[:cut].encode("utf-8") + text[cut:].encode("gb18030", errors="replace")


MUTATIONS = (truncate, drop_head, drop_lines, duplicate_lines, swap_lines, mistype_digits, insert_garbage,
             insert_noise, garble_bytes, join_lines, mixed_encoding)


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One to three mutations in a row; returns their names and the damaged bytes."""
    names = []
    for _ in range(rng.randint(1, 3)):
        mutation = rng.choice(MUTATIONS)
        if data:
            data = mutation(data, rng)
        names.append(mutation.__name__)
    return "+".join(names), data
