"""IEC 60870-5-104 bridge (104 规约接入) for Zhiban (INC-1): an optional, separate program.

It connects to a station (RTU or the SCADA's 104 forwarding link) as a 104 client with c104,
maps each information object address through a point table to a station (site code),
equipment, signal and alarm class, and posts events to Zhiban's ``POST /api/events``::

    python -m zhiban_iec104 --server 10.1.1.20:2404 --common-address 1 \\
        --points points.csv --zhiban http://127.0.0.1:8000 --token zb_… --source suwu-scada

Licence: c104 is GPLv3. This package imports it, so a distribution of the two together falls
under the GPLv3. That is why the bridge is an optional extra (``pip install zhiban[iec104]``),
runs as its own process, imports neither Django nor any ``zhiban`` module, and talks to Zhiban
only over HTTP; Zhiban itself (Apache-2.0) neither imports nor needs it.

Rules (``points.py`` reads the table; ``bridge.py`` runs the link):

- Point table: CSV (or .xlsx) with the header ``ioa, type, site, equipment, signal, class``
  and optional ``raise_on, high, low``. ``type`` is ``single``, ``double`` or ``measured``
  (c104 types M_SP_TB_1, M_DP_TB_1, M_ME_NC_1) or the exact c104 type the station sends,
  e.g. ``M_DP_NA_1``: c104 2.x keeps one type per address and discards reports of another.
- Single and double points: the state named in ``raise_on`` (``on``, the default, or ``off``;
  for a double point on = closed 合, off = open 分) raises the row's alarm, the other state
  clears it; a double point's intermediate or indeterminate position changes nothing. So a
  breaker-trip row is a double point with ``raise_on=off``.
- Measured values: above ``high`` or below ``low`` raises the row's alarm (class ``limit``
  unless the row says otherwise), back within the limits clears it.
- Reports with the invalid (IV) quality flag are ignored.
- Only a change is sent: the bridge remembers the last state it sent per address, so the
  general interrogation it sends on every (re)connection repeats nothing. The event id is
  ``<common address>:<ioa>:<state>:<time in ms>``, the time being the point's own
  CP56Time2a timestamp (read in ``--time-zone``) or, for a point without one, when the bridge
  saw the change. A restarted bridge therefore re-sends a time-tagged point's current state
  with the same id, which Zhiban answers as a duplicate (no second occurrence); an untimed
  point's current state gets a new id and counts as a new occurrence.
- Events are posted in batches (``--batch-ms`` linger, at most 1,000); a batch is kept and
  retried with backoff until Zhiban answers 200 (network errors, 5xx, 408, 425, 429); items
  Zhiban rejects are logged. A batch Zhiban refuses whole (another 4xx: a revoked token, a
  body it cannot take) would be refused again: it is kept aside in ``--refused`` (default
  ``./zhiban-iec104-refused``) as a JSON file with the HTTP status, Zhiban's answer
  (``reason``) and the events, and the next batch goes on. Once the cause is mended, send a
  file's ``events`` again, e.g. ``jq .events FILE | curl -H "Authorization: Bearer …"
  -H "Content-Type: application/json" --data-binary @- http://…/api/events``.
"""
