"""HyperLogLog cardinality sketches for RDD.countApproxDistinct.

A sketch has m = 2**p one-byte registers; each record's 64-bit hash picks a
register with its top p bits and stores the longest run of leading zeros
seen in the rest (plus one). Sketches of partitions merge by register-wise
max. The estimate's relative standard error is about 1.04 / sqrt(m), so p
is the smallest precision meeting the requested relativeSD. Small counts
use linear counting, which is exact-ish where the raw estimate is biased.
Hashes come from portable_hash, so estimates do not depend on
PYTHONHASHSEED.
"""

import math

from .hashing import portable_hash

_MASK64 = (1 << 64) - 1


def precision_for(relative_sd):
    if not 0.000017 <= relative_sd:
        raise ValueError("relativeSD should be greater than 0.000017, got %r" % relative_sd)
    p = int(math.ceil(2.0 * math.log2(1.054 / relative_sd)))
    return max(4, min(p, 18))


def _mix64(h):
    """splitmix64's finalizer: spreads any 32/64-bit hash over 64 bits."""
    h = (h + 0x9E3779B97F4A7C15) & _MASK64
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK64
    return h ^ (h >> 31)


def sketch(iterator, p):
    """The registers (a bytearray of 2**p) of one partition's records."""
    registers = bytearray(1 << p)
    rest_bits = 64 - p
    for x in iterator:
        h = _mix64(portable_hash(x) & _MASK64)
        index = h >> rest_bits
        rank = rest_bits - (h & ((1 << rest_bits) - 1)).bit_length() + 1
        if rank > registers[index]:
            registers[index] = rank
    return registers


def merge(a, b):
    return bytearray(map(max, a, b))


def estimate(registers):
    m = len(registers)
    alpha = {16: 0.673, 32: 0.697, 64: 0.709}.get(m, 0.7213 / (1 + 1.079 / m))
    raw = alpha * m * m / math.fsum(2.0 ** -r for r in registers)
    zeros = registers.count(0)
    if raw <= 2.5 * m and zeros:
        return int(round(m * math.log(m / zeros)))
    return int(round(raw))
