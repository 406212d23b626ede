"""Time the word diff of two 10,000-word provisions (issue 13: it took 16 s unbounded).

    .venv/bin/python benchmarks/diff_long_provisions.py

Prints the time of the bounded diff (sentence fallback), of a cached repeat, and of a
2,000-word pair still diffed word by word.
"""

from __future__ import annotations

import random
import time

from concord.consensus.diff import WORD_BUDGET, diff_words, tokenize


def text(seed: int, words: int) -> str:
    rnd = random.Random(seed)
    vocab = [f"word{i}" for i in range(800)]
    out = [rnd.choice(vocab) + ("." if i % 20 == 19 else "") for i in range(words)]
    return " ".join(out)


def timed(old: str, new: str) -> tuple[float, int]:
    start = time.perf_counter()
    ops = diff_words(old, new)
    return time.perf_counter() - start, len(ops)


def main() -> None:
    for words in (2_000, 10_000):
        old, new = text(1, words), text(2, words)
        cells = len(tokenize(old)) * len(tokenize(new))
        mode = "words" if cells <= WORD_BUDGET else "sentences"
        first, ops = timed(old, new)
        again, _ = timed(old, new)
        print(
            f"{words:>6} words each: {first * 1000:8.1f} ms ({mode}, {ops} ops); "
            f"cached repeat {again * 1000:.3f} ms"
        )


if __name__ == "__main__":
    main()
