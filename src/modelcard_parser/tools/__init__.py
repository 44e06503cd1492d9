"""Developer tools run with ``python -m modelcard_parser.tools.<name>``.

* :mod:`.coverage` - which fields the parser finds over a corpus folder with a
  ``MANIFEST.tsv`` (cards x fields, per style), and the Trainer/Keras cards whose
  hyperparameters section yields nothing.
"""
