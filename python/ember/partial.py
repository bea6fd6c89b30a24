"""Results of approximate actions (RDD.countApprox/sumApprox/meanApprox).

BoundedFloat is a float (the estimate) that also carries the confidence of
its bounds and the bounds themselves, as PySpark's ``pyspark.rdd.BoundedFloat``:

>>> b = BoundedFloat(100.0, 0.95, 95.0, 105.0)
>>> b, b.confidence, b.low, b.high
(100.0, 0.95, 95.0, 105.0)
"""


class BoundedFloat(float):
    """An estimate with ``confidence``, ``low`` and ``high`` bounds."""

    def __new__(cls, mean, confidence, low, high):
        value = float.__new__(cls, mean)
        value.confidence = confidence
        value.low = low
        value.high = high
        return value

    def __reduce__(self):
        return BoundedFloat, (float(self), self.confidence, self.low, self.high)
