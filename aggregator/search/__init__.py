"""Word-form search: texts and queries reduced to lemmas, so that every inflected form of
a word finds every other (the index lives in storage/search_index.py, the queries in
storage/search.py)."""
