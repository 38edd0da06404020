"""Vector stores: the stores (``handlers``), their files (``files``) and file batches
(``batches``), request schemas (``schema``), and what a store is and how its files progress
(``semantics``)."""
