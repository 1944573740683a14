"""``/reports`` (*Laporan*): needs by urusan and urgency, the need → program → delivered →
evaluated funnel, cycle times per state, JP and ASN trained per Pemda and year, and service
indicators before and after — each an SVG chart beside a table of its numbers, for what the
viewer may see, filtered by fiscal year and Pemda. The per-program report is
:mod:`collab.reports`."""
