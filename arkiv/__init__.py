"""The top of the house: the `arkiv` command line and the one place that opens an archive
(its store and its search engine) from one frozen :class:`archive.settings.Settings`.

Nothing below (archive, index, web) imports from here.
"""
