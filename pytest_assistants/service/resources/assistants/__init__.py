"""The assistant: handlers (``handlers``), request schemas (``schema``), modify semantics and
normalisation (``semantics``), and the model ``fake.add`` reads objects with (``model``)."""
