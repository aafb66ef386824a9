"""`make bench`: the performance benchmark (see README.md). Not part of the test suite."""
