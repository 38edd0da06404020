"""Files: uploads (``upload``: the multipart form) and their operations (``handlers``)."""
