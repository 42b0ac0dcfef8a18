"""Test support, not part of the analysis: synthetic corpora in the dump format with planted
answers (``synth``: vocabulary and dumps; ``trends``: planted rising, fading and bursting terms;
``topics``: planted themes). Only tests and benchmarks import this package."""
