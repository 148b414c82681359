"""Files → blocks: one reader per format, OCR for scanned pages, the text layer's quality judged.

``archive.extract.files.extract_document`` is the way in; nothing here knows about
meetings, the store or the index (import-linter holds it to that, see setup.cfg).
"""
