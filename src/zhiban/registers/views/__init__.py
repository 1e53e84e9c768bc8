"""The registers' pages, one module per register; ``common`` holds the home page, an entry's
page and the leader's decision every approved register shares."""
