"""The one door for writes to reports, one module per report.

- ``shift``: the shift report frozen when the incoming shift takes the handover over (RPT-1).
"""
