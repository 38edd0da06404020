"""One module per dialect: what its requests mean and how its answers look."""
