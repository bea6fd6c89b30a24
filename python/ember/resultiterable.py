"""ResultIterable: the values of one key from groupByKey/groupBy.

>>> r = ResultIterable([1, 2, 3])
>>> len(r), list(r), r.maxindex
(3, [1, 2, 3], 2)
"""


class ResultIterable:
    def __init__(self, data):
        self.data = data
        self.index = 0
        self.maxindex = len(data) - 1

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        return "ResultIterable(%r)" % (self.data,)
