"""Every write to the registers (DESIGN rule 1), one module per register; ``common`` holds the
entry and the leader's decision every register shares. Nothing here deletes an entry."""
