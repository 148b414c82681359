"""Blocks → a Meeting with its AgendaItems: the segmenter, front matter, an item's parts,
its decision and outcomes, people, dates and case numbers, and which files are one meeting.

``archive.parse.document.parse_document`` is the way in; the parser reads blocks
(archive.extract.blocks) and never the store or the index (import-linter, setup.cfg).
"""
