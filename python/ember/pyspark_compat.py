"""``import ember.pyspark_compat`` — from here on, ``import pyspark`` (and
``pyspark.rdd``, ``pyspark.core.context``, ...) gives ember's modules, in
this process and in the Python workers of its contexts. See
ember.pyspark_aliases."""

from .pyspark_aliases import install

install()
