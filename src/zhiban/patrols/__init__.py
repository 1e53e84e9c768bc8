"""Patrols (巡视/巡查): plans, rounds on a phone, checkpoints with their QR codes, missed-round
detection (PAT-1 … PAT-5)."""
