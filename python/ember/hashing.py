"""portable_hash: the hash that assigns shuffle buckets.

It must give the same answer in every process, whatever PYTHONHASHSEED,
so str and bytes are hashed from their bytes (CRC-32, at C speed) instead
of with the randomised built-in hash. None is 0; numbers use the built-in
(deterministic) hash; tuples and frozensets combine their elements' hashes.
Other objects use their own __hash__, which must then be deterministic.

>>> portable_hash("spark") == portable_hash("spark"), portable_hash(None), portable_hash(7)
(True, 0, 7)
"""

from zlib import crc32


def portable_hash(x):
    t = type(x)
    if t is str:
        return crc32(x.encode("utf-8", "surrogatepass"))
    if t is int or t is float or t is bool:
        return hash(x)
    if x is None:
        return 0
    if t is bytes or t is bytearray:
        return crc32(x)
    if isinstance(x, tuple):
        h = 0x345678
        for item in x:
            h ^= portable_hash(item)
            h = (h * 1000003) & 0xFFFFFFFFFFFFFFFF
        h ^= len(x)
        return -2 if h == 0xFFFFFFFFFFFFFFFF else h
    if isinstance(x, frozenset):
        h = 0
        for item in x:
            h ^= portable_hash(item) * 0x9E3779B1 & 0xFFFFFFFFFFFFFFFF
        return h
    if isinstance(x, str):
        return crc32(x.encode("utf-8", "surrogatepass"))
    return hash(x)
