"""The registers' lists as the pages, the API and the .xlsx exports see them: one FilterSet,
one column list and one ``Resource`` per register; ``common`` holds the registry of registers
the home page lists."""
