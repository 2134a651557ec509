"""Importing survey exports: read a file, recognise the platform, map columns and answers, store.

files      bytes -> a table of text cells (xlsx, csv in any common encoding and delimiter)
encoding   which text encoding a CSV is in (BOM, UTF-8, damaged UTF-8, else a reported guess)
limits     how much an upload may hold (size, unpacked size, columns, cells), from settings
workbook   an .xlsx checked against the limits while streamed, before the reader unpacks it
errors     ImportFileError, the refusal of a file that cannot be read
platforms  which platform wrote it, and what each column's header says (title, item)
columns    which column feeds which statement, importance, profile field or comment
values     answer labels -> scale values, with N/A variants and reported unknowns
profiles   saved column/answer mappings (database and YAML)
pipeline   prepare (validate, report) and commit (one transaction), list and undo imports
"""
