"""ResourceInformation: a named resource (GPU, FPGA...) and its addresses,
as SparkContext.resources and TaskContext.resources() report them."""


class ResourceInformation:
    """A resource's name and the addresses (e.g. GPU indices) allocated."""

    def __init__(self, name, addresses):
        self._name = name
        self._addresses = addresses

    @property
    def name(self):
        return self._name

    @property
    def addresses(self):
        return self._addresses
