"""StatCounter: count, mean, variance, min and max in one pass, mergeable
(Welford's update; Chan et al.'s parallel merge).

>>> StatCounter([1, 2, 3])
(count: 3, mean: 2.0, stdev: 0.816496580927726, max: 3.0, min: 1.0)
"""

import math


class StatCounter:
    def __init__(self, values=None):
        self.n = 0
        self.mu = 0.0
        self.m2 = 0.0
        self.maxValue = float("-inf")
        self.minValue = float("inf")
        for v in values or ():
            self.merge(v)

    def merge(self, value):
        delta = value - self.mu
        self.n += 1
        self.mu += delta / self.n
        self.m2 += delta * (value - self.mu)
        self.maxValue = max(self.maxValue, value)
        self.minValue = min(self.minValue, value)
        return self

    def mergeStats(self, other):
        if other is self:
            return self.mergeStats(other.copy())
        if other.n == 0:
            return self
        if self.n == 0:
            self.n, self.mu, self.m2 = other.n, other.mu, other.m2
        else:
            delta = other.mu - self.mu
            total = self.n + other.n
            if other.n * 10 < self.n:
                self.mu += delta * other.n / total
            elif self.n * 10 < other.n:
                self.mu = other.mu - delta * self.n / total
            else:
                self.mu = (self.mu * self.n + other.mu * other.n) / total
            self.m2 += other.m2 + delta * delta * self.n * other.n / total
            self.n = total
        self.maxValue = max(self.maxValue, other.maxValue)
        self.minValue = min(self.minValue, other.minValue)
        return self

    def copy(self):
        c = StatCounter()
        c.n, c.mu, c.m2, c.maxValue, c.minValue = self.n, self.mu, self.m2, self.maxValue, self.minValue
        return c

    def count(self):
        return self.n

    def mean(self):
        return self.mu

    def sum(self):
        return self.n * self.mu

    def min(self):
        return float(self.minValue)

    def max(self):
        return float(self.maxValue)

    def variance(self):
        return self.m2 / self.n if self.n else float("nan")

    def sampleVariance(self):
        return self.m2 / (self.n - 1) if self.n > 1 else float("nan")

    def stdev(self):
        return math.sqrt(self.variance())

    def sampleStdev(self):
        return math.sqrt(self.sampleVariance())

    def asDict(self, sample=False):
        """The statistics as a dict. As in PySpark, ``stdev`` and
        ``variance`` are the sample ones by default and the population ones
        with ``sample=True``.

        >>> StatCounter([1, 2, 3, 4]).asDict() == {"count": 4, "mean": 2.5, "sum": 10.0,
        ...     "min": 1.0, "max": 4.0, "stdev": 1.2909944487358056, "variance": 1.6666666666666667}
        True
        >>> StatCounter([1, 2, 3, 4]).asDict(sample=True)["variance"]
        1.25
        """
        return {"count": self.count(), "mean": self.mean(), "sum": self.sum(),
                "min": self.min(), "max": self.max(),
                "stdev": self.stdev() if sample else self.sampleStdev(),
                "variance": self.variance() if sample else self.sampleVariance()}

    def __repr__(self):
        return "(count: %s, mean: %s, stdev: %s, max: %s, min: %s)" % (
            self.count(), self.mean(), self.stdev(), self.max(), self.min())
